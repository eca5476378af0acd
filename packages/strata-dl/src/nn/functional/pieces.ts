// SPDX-License-Identifier: MIT
// Internal building blocks of the activations (not re-exported by nn/functional/index.ts).
//
// log(1 + u) for u ≥ 0, accurate to a few ulps where 1 + u rounds (u below the dtype's epsilon),
// composed of primitives. The value is Goldberg's log(w)·u/(w − 1) with w = 1 + u (exact because
// w − 1 recovers the rounding of w); its derivatives are those of log(1 + u), which the log and add
// primitives give accurately everywhere: the accurate value enters as a detached correction, a
// constant to every order of differentiation, so the derivative never sees the division.
import { where } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';

export function log1p(u: Tensor): Tensor {
  const plain = u.add(1).log();
  const ud = u.detach();
  const w = ud.add(1);
  const rounded = w.eq(1);
  const safe = w.sub(1).where(w.ne(1), 1); // no 0/0 where the value is u itself
  const accurate = ud.where(rounded, w.log().mul(ud).div(safe));
  return plain.add(accurate.sub(plain.detach()));
}

/**
 * x where x ≤ 0 (or NaN), else 0: the exponential's argument in the ELU family. Written with `where`
 * rather than minimum(x, 0) so that x = 0 takes the exponential piece's whole gradient (minimum
 * would split a tie), as PyTorch's elu_backward does (x ≤ 0 is the negative side).
 */
export function negativePart(x: Tensor): Tensor {
  return where(x.gt(0), 0, x);
}
