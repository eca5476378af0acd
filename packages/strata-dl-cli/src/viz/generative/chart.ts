// SPDX-License-Identifier: MIT
// One Chart.js chart as a canvas and the script that draws it, for the generative report. The
// configuration is plain JSON (no callbacks), so it inlines safely; animation is off so the chart is
// drawn as soon as the page has loaded (what the headless-browser test checks).

/** Ten distinguishable colours (Tableau 10), one per class. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A Chart.js configuration: type, data and options, JSON only. */
export interface ChartConfig {
  type: 'line' | 'scatter' | 'bar';
  data: { labels?: (string | number)[]; datasets: Record<string, unknown>[] };
  options?: Record<string, unknown>;
}

/** The canvas and its drawing script; `title` is shown above the plot. */
export function chartHtml(id: string, title: string, config: ChartConfig, width = 520, height = 320): string {
  const full = {
    ...config,
    options: {
      animation: false,
      responsive: false,
      ...config.options,
      plugins: { title: { display: true, text: title }, ...(config.options?.plugins as Record<string, unknown> | undefined) },
    },
  };
  // '<' appears in JSON only inside strings, where \u003c means the same: a label (a class name, a
  // data set's name) can then never close the script element or open a comment in it.
  const json = JSON.stringify(full).replace(/</g, '\\u003c');
  return `<canvas id="${id}" width="${width}" height="${height}"></canvas><script>new Chart(document.getElementById('${id}'), ${json});</script>`;
}

/** Rounds to 4 significant digits: plenty for a plot, and a third of the page size. */
export function round4(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : v;
}

/** A linear axis with a title. */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'linear', title: { display: true, text: title }, ...extra };
}
