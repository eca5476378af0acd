// SPDX-License-Identifier: MIT
// Tensors of grey 28×28 images to the report's ImageSet (one Float32Array per image).
import type * as st from 'strata-dl';
import type { ImageSet } from '../../viz/generative/types.js';

/** [N, 1, H, W] or [N, H·W] images in [0, 1] → an ImageSet of H×W images. */
export function toImageSet(t: st.Tensor, height = 28, width = 28): ImageSet {
  const data = t.dataSync();
  const size = height * width;
  const n = data.length / size;
  return { height, width, images: Array.from({ length: n }, (_, i) => Float32Array.from(data.subarray(i * size, (i + 1) * size))) };
}
