// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

/** The ten CIFAR-10 class names, indexed by label. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
const RECORD = 1 + 3 * 32 * 32;

/**
 * Parses the CIFAR-10 binary format: records of 1 label byte then 3072 pixel bytes (1024 red,
 * 1024 green, 1024 blue, row-major 32×32) — already channel-first.
 */
export function parseCifar10(bytes: Uint8Array, source = 'CIFAR-10 data'): { images: Uint8Array; labels: Int32Array; count: number } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new StrataError('parseCifar10', `${source}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte records (1 label + 3×32×32 pixels)`);
  }
  const count = bytes.length / RECORD;
  const images = new Uint8Array(count * (RECORD - 1));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = bytes[i * RECORD];
    if (label > 9) throw new StrataError('parseCifar10', `${source}: record ${i} has label ${label}, expected 0..9`);
    labels[i] = label;
    images.set(bytes.subarray(i * RECORD + 1, (i + 1) * RECORD), i * (RECORD - 1));
  }
  return { images, labels, count };
}
