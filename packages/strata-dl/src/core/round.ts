// SPDX-License-Identifier: MIT

/**
 * Rounds half to even, as torch.round (C's nearbyint) and wasm's `nearest`: Math.round rounds half
 * up, so a tie that landed on an odd number steps back. -0.5 and -0.4 give -0, as there.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
