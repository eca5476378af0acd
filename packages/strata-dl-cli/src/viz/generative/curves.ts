// SPDX-License-Identifier: MIT
// Per-epoch curves of whatever metrics a generative run recorded. A metric and its test/validation
// twin share a chart (loss beside testLoss, kl beside testKl); the GAN's discriminator and generator
// losses share one too, since they are read against each other.
import { PALETTE, axis, chartHtml, round4 } from './chart.js';
import type { GenerativeEpoch } from './types.js';

const NOT_METRICS = new Set(['epoch', 'seconds']);

/** The chart a metric belongs to: its name without a test/val/train prefix; the GAN's dLoss and gLoss together. */
function family(key: string): string {
  const base = key.replace(/^(test|val|train)([A-Z])/, (_, _p: string, c: string) => c.toLowerCase());
  return /^[dg]Loss$/.test(base) ? 'discriminator and generator losses' : base;
}

/** Metric keys of the history, grouped by chart, in order of first appearance. */
export function metricGroups(history: readonly GenerativeEpoch[]): { title: string; keys: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const row of history) {
    for (const key of Object.keys(row)) {
      if (NOT_METRICS.has(key) || typeof row[key] !== 'number') continue;
      const f = family(key);
      const keys = groups.get(f) ?? [];
      if (!keys.includes(key)) keys.push(key);
      groups.set(f, keys);
    }
  }
  return [...groups].map(([title, keys]) => ({ title, keys }));
}

/** One line chart per metric family over the epochs. */
export function curvesHtml(history: readonly GenerativeEpoch[]): string {
  const epochs = history.map((h) => h.epoch);
  return metricGroups(history).map((g, gi) => chartHtml(`curve${gi}`, g.title, {
    type: 'line',
    data: {
      labels: epochs,
      datasets: g.keys.map((k, i) => ({
        label: k,
        data: history.map((h) => (typeof h[k] === 'number' && Number.isFinite(h[k]) ? round4(h[k]) : null)),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        tension: 0.2,
        ...(/^(test|val)/.test(k) ? { borderDash: [6, 4] } : {}),
      })),
    },
    options: { scales: { x: { title: { display: true, text: 'epoch' } }, y: axis(g.title) } },
  })).join('');
}
