// SPDX-License-Identifier: MIT
/** Formats a shape the way Strata's errors print it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
