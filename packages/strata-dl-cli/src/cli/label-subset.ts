// SPDX-License-Identifier: MIT
// A class-balanced, seeded subset of a training set: the "N labels" of a few-label experiment,
// and a disjoint held-out set for the learning curves.
import { StrataError } from 'strata-dl';

/** mulberry32: a tiny seeded generator, so the same seed picks the same examples on any machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(xs: number[], next: () => number): number[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * `n` indices into `labels` with the classes as equal as possible (the first `n mod classes`
 * classes get one more), drawn at random with `seed`, in random order; and `holdout` more indices
 * from the remaining examples (random, not balanced). Errors when a class has too few examples.
 */
export function balancedSubset(labels: ArrayLike<number>, classes: number, n: number, seed: number, holdout = 0): { labelled: number[]; heldOut: number[] } {
  if (!Number.isInteger(n) || n < classes) throw new StrataError('finetune', `--labels must be at least the number of classes (${classes}), got ${n}`);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c >= 0 && c < classes) byClass[c].push(i);
  }
  const next = rng(seed);
  const labelled: number[] = [];
  const taken = new Set<number>();
  for (let c = 0; c < classes; c++) {
    const want = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
    if (byClass[c].length < want) throw new StrataError('finetune', `--labels ${n} needs ${want} examples of class ${c}, but the training set has ${byClass[c].length}`);
    for (const i of shuffle(byClass[c], next).slice(0, want)) { labelled.push(i); taken.add(i); }
  }
  const rest = shuffle(Array.from({ length: labels.length }, (_, i) => i).filter((i) => !taken.has(i)), next);
  if (holdout > rest.length) throw new StrataError('finetune', `--val ${holdout} is more than the ${rest.length} training examples left after the labelled ones`);
  return { labelled: shuffle(labelled, next), heldOut: rest.slice(0, holdout) };
}
