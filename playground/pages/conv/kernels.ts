// SPDX-License-Identifier: MIT
// The classic kernels (row-major k×k weights) the convolution explorer offers.
export const KERNELS = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  'sobel x': [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  'box blur': Array<number>(9).fill(1 / 9),
  'gaussian blur 3×3': [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  'gaussian blur 5×5': [1, 4, 6, 4, 1].flatMap((a) => [1, 4, 6, 4, 1].map((b) => (a * b) / 256)),
} as const satisfies Record<string, readonly number[]>;
export type KernelName = keyof typeof KERNELS | 'custom';
export const KERNEL_NAMES = [...Object.keys(KERNELS), 'custom'] as KernelName[];

/** Side of a square kernel of `n` weights (3 or 5). */
export const kernelSide = (n: number): number => Math.round(Math.sqrt(n));
