// SPDX-License-Identifier: MIT
/** Most dimensions a kernel descriptor holds (after coalescing). */
export const MAX_RANK = 8;

/**
 * Drops size-1 dimensions and merges neighbours that are contiguous for every operand
 * (outer stride = inner stride x inner size), so most N-d ops become 1-d or 2-d loops.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[i] * shape[i])) {
      dims[last] *= shape[i];
      strides.forEach((s, k) => { st[k][last] = s[i]; });
    } else {
      dims.push(shape[i]);
      strides.forEach((s, k) => st[k].push(s[i]));
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    st.forEach((s) => s.push(0));
  }
  return { shape: dims, strides: st };
}

/** `xs` padded with zeros to `n` entries. */
export function padTo(xs: readonly number[], n: number): number[] {
  const out = xs.slice(0, n);
  while (out.length < n) out.push(0);
  return out;
}
