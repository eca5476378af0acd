// SPDX-License-Identifier: MIT
/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * Every random op takes one; without one they use the global generator set by `manualSeed`.
 *
 * @example
 * const g = new Generator(42);
 * const x = randn([2, 3], { generator: g });
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the stream to the one the seed defines. */
  manualSeed(seed: number): this {
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() || 1;
    this.spare = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * A snapshot of the state, to resume the same stream later (checkpoints). A fifth entry holds the
   * pending second normal of Box–Muller when there is one, so `normal()` resumes exactly too.
   */
  getState(): number[] {
    const s = [this.s0, this.s1, this.s2, this.s3];
    return this.spare === null ? s : [...s, this.spare];
  }

  /**
   * Restores a state from `getState()`, so the stream continues exactly where it was.
   *
   * @example
   * const s = g.getState();
   * const a = g.random();
   * g.setState(s).random() === a; // true
   */
  setState(state: readonly number[]): this {
    [this.s0, this.s1, this.s2, this.s3] = state.slice(0, 4).map((v) => v >>> 0);
    this.spare = state.length > 4 ? state[4] : null;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalGenerator = new Generator(0);

/** The generator random ops use when none is passed. */
export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** Seeds the global generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): Generator {
  globalGenerator = new Generator(seed);
  return globalGenerator;
}
