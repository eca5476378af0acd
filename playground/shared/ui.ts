// SPDX-License-Identifier: MIT
// Small DOM helpers shared by the playground's pages.

/** The element with this id (throws if the page lacks it: a page and its script must agree). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`playground: no element #${id}`);
  return e as T;
}

/** Fills a <select> with `options` ([value, label] or values) and selects `value`. */
export function fillSelect(sel: HTMLSelectElement, options: readonly (string | number | readonly [string | number, string])[], value: string | number): void {
  sel.replaceChildren(...options.map((o) => {
    const [v, label] = Array.isArray(o) ? o : [o, String(o)];
    const opt = document.createElement('option');
    opt.value = String(v);
    opt.textContent = label;
    return opt;
  }));
  sel.value = String(value);
}

/** The status line every page shows: backend, threads, isolation. */
export function describeRuntime(backend: string, threads: number, isolated: boolean): string {
  return `backend: ${backend}, threads: ${threads}, cross-origin isolated: ${String(isolated)}`;
}

/** A [0, 1] value as a rounded percentage. */
export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
