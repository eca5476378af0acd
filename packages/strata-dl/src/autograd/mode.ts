// SPDX-License-Identifier: MIT
/**
 * Global differentiation state: whether ops record the reverse-mode tape, and which forward-mode
 * (JVP) levels are active. Levels are numbered outermost first; nesting `jvp` inside `jvp` opens a
 * new level, which is how higher-order forward derivatives avoid perturbation confusion.
 */
let gradEnabled = true;
let levels: number[] = [];
let nextLevel = 1;
let functionalDepth = 0;

/** Whether ops are being recorded for autodiff now (false inside `noGrad`), as `torch.is_grad_enabled`. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Whether an op on `inputs` records the tape: recording is on and one of them requires grad. Every
 * op that attaches a node (primitives, custom ops, fused cells) and every layer that keeps something
 * for backward (a conv's columns, a pool's argmax) asks this one question.
 */
export function willRecord(inputs: readonly { readonly requiresGrad: boolean }[]): boolean {
  if (!gradEnabled) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

/**
 * Runs `fn` without recording the reverse-mode tape, like `torch.no_grad()`.
 *
 * @example
 * const y = noGrad(() => x.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGrad(false, fn);
}

/** Runs `fn` with tape recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGrad(true, fn);
}

function withGrad<T>(on: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = on;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function activeLevels(): readonly number[] {
  return levels;
}

/** Opens a forward-mode level for the duration of `fn`. */
export function withNewLevel<T>(fn: (level: number) => T): T {
  const level = nextLevel++;
  const prev = levels;
  levels = [...levels, level];
  try {
    return fn(level);
  } finally {
    levels = prev;
  }
}

/** Runs `fn` with only the levels outside `level` active (used while computing level's tangent rule). */
export function belowLevel<T>(level: number, fn: () => T): T {
  const prev = levels;
  levels = levels.filter((l) => l < level);
  try {
    return fn();
  } finally {
    levels = prev;
  }
}

/** Depth of nested functional transforms (`grad`, `vjp`); inside one, inner gradients keep their graph. */
export function inFunctionalTransform(): boolean {
  return functionalDepth > 0;
}

export function withFunctionalTransform<T>(fn: () => T): T {
  functionalDepth++;
  try {
    return fn();
  } finally {
    functionalDepth--;
  }
}

/** Runs `fn` with no forward-mode level active. */
export function withoutLevels<T>(fn: () => T): T {
  return belowLevel(-Infinity, fn);
}
