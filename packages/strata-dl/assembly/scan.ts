// SPDX-License-Identifier: MIT
// Scans and argsort along the middle axis of [outer, n, inner] (float32). The scans accumulate in
// float64 and round each output, as the js reference (and PyTorch's CPU kernel) do, so the two
// backends agree bit for bit.

/**
 * Running sum (op 0) or product (op 1), from the end when `reverse`. For inner > 1 the running
 * values of one [inner] slice live in `ws` (inner float64s), and rows are walked contiguously.
 */
export function scanF32(op: i32, reverse: i32, outer: i32, n: i32, inner: i32, src: usize, dst: usize, ws: usize): void {
  const rowB = <usize>inner << 2;
  const init: f64 = op == 0 ? 0 : 1;
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>n * rowB;
    if (inner == 1) {
      let acc = init;
      for (let k = 0; k < n; k++) {
        const q = base + (<usize>(reverse ? n - 1 - k : k) << 2);
        const v = <f64>load<f32>(src + q);
        acc = op == 0 ? acc + v : acc * v;
        store<f32>(dst + q, <f32>acc);
      }
      continue;
    }
    for (let i = 0; i < inner; i++) store<f64>(ws + (<usize>i << 3), init);
    for (let k = 0; k < n; k++) {
      const off = base + <usize>(reverse ? n - 1 - k : k) * rowB;
      const s = src + off, d = dst + off;
      let i = 0;
      for (; i + 2 <= inner; i += 2) {
        const a = ws + (<usize>i << 3);
        const v = f64x2.promote_low_f32x4(v128.load64_zero(s + (<usize>i << 2)));
        const r = op == 0 ? f64x2.add(v128.load(a), v) : f64x2.mul(v128.load(a), v);
        v128.store(a, r);
        v128.store64_lane(d + (<usize>i << 2), f32x4.demote_f64x2_zero(r), 0);
      }
      for (; i < inner; i++) {
        const a = ws + (<usize>i << 3);
        const v = <f64>load<f32>(s + (<usize>i << 2));
        const r = op == 0 ? load<f64>(a) + v : load<f64>(a) * v;
        store<f64>(a, r);
        store<f32>(d + (<usize>i << 2), <f32>r);
      }
    }
  }
}

/**
 * A float's place in PyTorch's sort order as an unsigned key: -0 and +0 equal, every NaN above +∞.
 * Descending order is the complement (so ties still keep their input order).
 */
// @ts-ignore: decorator
@inline function sortKey(v: f32, descending: i32): u64 {
  let b = reinterpret<u32>(v + 0.0);
  if (v != v) b = 0x7fc00000;
  const k: u32 = b & 0x80000000 ? ~b : b | 0x80000000;
  return <u64>(descending ? ~k : k);
}

/**
 * The stable sorting permutation along the middle axis, written as int32 positions. Each row is
 * sorted as 64-bit (key << 32 | position) words, so equal keys order by position: stable by
 * construction. `ws` holds 2·n words (16·n bytes): the row and the merge buffer.
 */
export function argsortF32(descending: i32, outer: i32, n: i32, inner: i32, src: usize, dst: usize, ws: usize): void {
  const a0 = ws, b0 = ws + (<usize>n << 3);
  const stepB = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = (<usize>o * <usize>n * <usize>inner + <usize>q) << 2;
      for (let k = 0; k < n; k++) {
        store<u64>(a0 + (<usize>k << 3), (sortKey(load<f32>(src + base + <usize>k * stepB), descending) << 32) | <u64>k);
      }
      let from = a0, to = b0;
      for (let w = 1; w < n; w <<= 1) {
        for (let lo = 0; lo < n; lo += w << 1) {
          const mid = min(lo + w, n), hi = min(lo + (w << 1), n);
          let i = lo, j = mid, t = lo;
          while (i < mid && j < hi) {
            const u = load<u64>(from + (<usize>i << 3)), v = load<u64>(from + (<usize>j << 3));
            if (v < u) { store<u64>(to + (<usize>t << 3), v); j++; } else { store<u64>(to + (<usize>t << 3), u); i++; }
            t++;
          }
          while (i < mid) { store<u64>(to + (<usize>t << 3), load<u64>(from + (<usize>i << 3))); i++; t++; }
          while (j < hi) { store<u64>(to + (<usize>t << 3), load<u64>(from + (<usize>j << 3))); j++; t++; }
        }
        const s = from; from = to; to = s;
      }
      for (let k = 0; k < n; k++) store<i32>(dst + base + <usize>k * stepB, <i32>(load<u64>(from + (<usize>k << 3)) & 0xffffffff));
    }
  }
}
