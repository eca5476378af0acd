// SPDX-License-Identifier: MIT
// Four-lane float32 exp, log and tanh (Cephes polynomials, ~1-2 ulp), with the special values of
// JavaScript's Math (NaN in, NaN out; log(0) = -Infinity; exp overflows to Infinity and underflows
// through the denormals to 0).

// @ts-ignore: decorator
@inline function S(v: f32): v128 { return f32x4.splat(v); }
// @ts-ignore: decorator
@inline function fma(a: v128, b: v128, c: v128): v128 { return f32x4.add(f32x4.mul(a, b), c); }

// @ts-ignore: decorator
@inline export function expv(x0: v128): v128 {
  // pmax/pmin (one machine instruction each) rather than max/min (NaN-propagating, several on
  // x86): a NaN input passes through the clamp unchanged either way and comes out NaN
  const x = f32x4.pmin(f32x4.pmax(x0, S(-104.0)), S(89.0));
  // n = round(x·log2 e) by the 1.5·2^23 trick: the sum's low mantissa bits are n, and subtracting
  // the constant back gives n as a float; no floor or float-to-int conversion (both slow on x86)
  const t = fma(x, S(1.44269504088896341), S(12582912.0));
  const fx = f32x4.sub(t, S(12582912.0));
  const n = i32x4.sub(t, i32x4.splat(0x4b400000));
  let r = f32x4.sub(x, f32x4.mul(fx, S(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, S(-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let y = fma(S(1.9875691500e-4), r, S(1.3981999507e-3));
  y = fma(y, r, S(8.3334519073e-3));
  y = fma(y, r, S(4.1665795894e-2));
  y = fma(y, r, S(1.6666665459e-1));
  y = fma(y, r, S(5.0000001201e-1));
  y = f32x4.add(fma(y, z, r), S(1));
  // 2^n as two factors, so results in the denormal range and overflow round correctly
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

// @ts-ignore: decorator
@inline export function logv(x0: v128): v128 {
  const tiny = f32x4.lt(x0, S(1.17549435e-38));
  const x = v128.bitselect(f32x4.mul(x0, S(8388608.0)), x0, tiny);
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  const m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000)); // [1, 2)
  const big = f32x4.ge(m, S(1.41421356237));
  e = i32x4.sub(e, big); // mask is -1 where true
  const f = f32x4.sub(v128.bitselect(f32x4.mul(m, S(0.5)), m, big), S(1));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let y = fma(S(7.0376836292e-2), f, S(-1.1514610310e-1));
  y = fma(y, f, S(1.1676998740e-1));
  y = fma(y, f, S(-1.2420140846e-1));
  y = fma(y, f, S(1.4249322787e-1));
  y = fma(y, f, S(-1.6668057665e-1));
  y = fma(y, f, S(2.0000714765e-1));
  y = fma(y, f, S(-2.4999993993e-1));
  y = fma(y, f, S(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, f), z);
  y = fma(fe, S(-2.12194440e-4), y);
  y = fma(z, S(-0.5), y);
  let r = f32x4.add(f, y);
  r = fma(fe, S(0.693359375), r);
  r = v128.bitselect(S(Infinity), r, f32x4.eq(x0, S(Infinity)));
  r = v128.bitselect(S(-Infinity), r, f32x4.eq(x0, S(0)));
  return v128.bitselect(S(NaN), r, v128.or(f32x4.lt(x0, S(0)), f32x4.ne(x0, x0)));
}

// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = expv(f32x4.add(ax, ax));
  const big = f32x4.sub(S(1), f32x4.div(S(2), f32x4.add(e, S(1))));
  const z = f32x4.mul(ax, ax);
  let p = fma(S(-5.70498872745e-3), z, S(2.06390887954e-2));
  p = fma(p, z, S(-5.37397155531e-2));
  p = fma(p, z, S(1.33314422036e-1));
  p = fma(p, z, S(-3.33332819422e-1));
  const small = fma(f32x4.mul(p, z), ax, ax);
  // tanh(|x|), then x's sign bit: tanh is odd, and so tanh(-0) = -0 (the sum above gives +0 for
  // either zero, p·z·x + x adding a +0 to -0)
  return v128.bitselect(x, v128.bitselect(big, small, f32x4.ge(ax, S(0.625))), i32x4.splat(0x80000000));
}

// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  return f32x4.div(S(1), f32x4.add(S(1), expv(f32x4.neg(x))));
}
