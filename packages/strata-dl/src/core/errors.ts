// SPDX-License-Identifier: MIT
/** Every error Strata raises on bad input: it names the op so the message reads `op: what went wrong`. */
export class StrataError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'StrataError';
    this.op = op;
  }
}

/** Formats a shape the way errors print it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function check(cond: boolean, op: string, message: () => string): asserts cond {
  if (!cond) throw new StrataError(op, message());
}
