// SPDX-License-Identifier: MIT
// Elementwise unary float32 ops on contiguous rows. Op codes follow UNARY in src/ir/prims.ts:
// 0 neg, 1 exp, 2 log, 3 sqrt, 4 sin, 5 cos, 6 tanh, 7 sigmoid, 8 relu, 9 abs, 10 sign.
import { expv, logv, tanhv, sigmoidv } from './mathv';

// @ts-ignore: decorator
@inline function vecOp(op: i32, x: v128): v128 {
  switch (op) {
    case 0: return f32x4.neg(x);
    case 1: return expv(x);
    case 2: return logv(x);
    case 3: return f32x4.sqrt(x);
    case 6: return tanhv(x);
    case 7: return sigmoidv(x);
    // relu: pmax(x, 0) = x < 0 ? 0 : x, the reference's: NaN passes through and -0 stays -0
    // (torch.relu). One instruction, as pmax(0, x) (which gave 0 for NaN) was; f32x4.max(x, 0)
    // would propagate NaN too but costs several on x86 and turns -0 into +0.
    case 8: return f32x4.pmax(x, f32x4.splat(0));
    case 9: return f32x4.abs(x);
    case 10: {
      const one = f32x4.splat(1);
      return f32x4.sub(v128.and(f32x4.gt(x, f32x4.splat(0)), one), v128.and(f32x4.lt(x, f32x4.splat(0)), one));
    }
    // an op code with no case is a bug (a primitive added to UNARY but not here): trap, never
    // return the input or leave the output uninitialized
    default: unreachable(); return x;
  }
}

// @ts-ignore: decorator
@inline function rowV(op: i32, n: i32, o: usize, a: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(o + (<usize>i << 2), vecOp(op, v128.load(a + (<usize>i << 2))));
  if (i < n) {
    // tail: through a zero-padded vector so that the same code (and rounding) serves every element
    const t = f32x4.splat(0);
    let v = t;
    const rem = n - i;
    const src = a + (<usize>i << 2);
    v = f32x4.replace_lane(v, 0, load<f32>(src));
    if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(src, 4));
    if (rem > 2) v = f32x4.replace_lane(v, 2, load<f32>(src, 8));
    const r = vecOp(op, v);
    const dst = o + (<usize>i << 2);
    store<f32>(dst, f32x4.extract_lane(r, 0));
    if (rem > 1) store<f32>(dst, f32x4.extract_lane(r, 1), 4);
    if (rem > 2) store<f32>(dst, f32x4.extract_lane(r, 2), 8);
  }
}

export function unaryRow(op: i32, n: i32, o: usize, a: usize): void {
  switch (op) {
    case 0: rowV(0, n, o, a); break;
    case 1: rowV(1, n, o, a); break;
    case 2: rowV(2, n, o, a); break;
    case 3: rowV(3, n, o, a); break;
    case 4: for (let i = 0; i < n; i++) store<f32>(o + (<usize>i << 2), NativeMathf.sin(load<f32>(a + (<usize>i << 2)))); break;
    case 5: for (let i = 0; i < n; i++) store<f32>(o + (<usize>i << 2), NativeMathf.cos(load<f32>(a + (<usize>i << 2)))); break;
    case 6: rowV(6, n, o, a); break;
    case 7: rowV(7, n, o, a); break;
    case 8: rowV(8, n, o, a); break;
    case 9: rowV(9, n, o, a); break;
    case 10: rowV(10, n, o, a); break;
    default: unreachable();
  }
}
