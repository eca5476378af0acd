// SPDX-License-Identifier: MIT
// The MNIST subset that build.mjs packs (N·784 pixel bytes, then N label bytes, gzipped), read in a
// page or a worker with the browser's own gzip decoder.

/** MNIST's mean and standard deviation of pixel/255, as `strata train mnist` normalizes. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Raw images (uint8, N·784) and labels (N). */
export interface MnistSubset {
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
}

/** Fetches and unpacks `url` (relative to the caller's location). */
export async function fetchMnist(url: string | URL): Promise<MnistSubset> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`could not fetch ${String(url)}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  if (bytes.length % 785 !== 0) throw new Error(`${String(url)}: ${bytes.length} bytes is not a whole number of 785-byte examples`);
  const count = bytes.length / 785;
  return { pixels: bytes.subarray(0, count * 784), labels: Int32Array.from(bytes.subarray(count * 784)), count };
}

/** Pixels 0..255 → the normalized float input the CNN was trained on. */
export function normalizePixels(pixels: Uint8Array, limit = pixels.length): Float32Array {
  const out = new Float32Array(limit);
  for (let i = 0; i < limit; i++) out[i] = (pixels[i] / 255 - MNIST_MEAN) / MNIST_STD;
  return out;
}
