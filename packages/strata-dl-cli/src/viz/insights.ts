// SPDX-License-Identifier: MIT
// What a trained image classifier learned, as pictures: first-layer filters, feature maps of one
// input through every conv layer, and the most confidently wrong predictions.
import { type Tensor, noGrad, nn, scoped } from 'strata-dl';
import { pngDataUrl, tileGrid } from './image.js';

const { Conv2d, Linear, Sequential } = nn;
type Module = nn.Module;

/**
 * The first layer's filters (input channels averaged), blue negative / red positive. For a model
 * that starts with a dense layer on images, the weights of its first 64 units, each seen as an image.
 */
export function firstLayerFilters(model: Module, inputShape?: readonly number[], scale = 8): { caption: string; src: string } | null {
  const first = model.namedModules().find(([, m]) => m instanceof Conv2d || m instanceof Linear);
  if (!first) return null;
  const [name, layer] = first;
  if (layer instanceof Conv2d) {
    const w = layer.weight;
    const tiles = noGrad(() => w.mean(1));
    return { caption: `${name}: ${w.shape[0]} filters ${w.shape[2]}×${w.shape[3]}`, src: pngDataUrl(tileGrid(tiles, { scale, colormap: 'diverging', pad: 2 })) };
  }
  const w = (layer as InstanceType<typeof Linear>).weight;
  if (!inputShape || inputShape.length !== 3 || inputShape[0] * inputShape[1] * inputShape[2] !== w.shape[1]) return null;
  const [c, h, wd] = inputShape;
  const units = Math.min(64, w.shape[0]);
  const tiles = noGrad(() => w.slice(0, 0, units).reshape(units, c, h, wd).mean(1));
  return { caption: `${name}: weights of the first ${units} of ${w.shape[0]} units, as ${h}×${wd} images`, src: pngDataUrl(tileGrid(tiles, { scale: 2, colormap: 'diverging', pad: 2 })) };
}

/**
 * Runs one example [1, C, H, W] through a Sequential model and pictures the output of every conv
 * layer (after the activation that follows it, if any).
 */
export function featureMaps(model: Module, x: Tensor, scale = 3): { caption: string; src: string }[] {
  if (!(model instanceof Sequential)) return [];
  const layers = model.namedChildren();
  const out: { caption: string; src: string }[] = [];
  noGrad(() => scoped(() => {
    let h = x;
    let pending: string | null = null;
    layers.forEach(([name, layer], i) => {
      h = layer.call(h);
      if (layer instanceof Conv2d) pending = name;
      // Show each conv layer once: after the activation that directly follows it, if any.
      const next = layers[i + 1]?.[1];
      if (pending !== null && !(layer instanceof Conv2d && next && isActivationLike(next))) {
        out.push({ caption: `layer ${pending}: ${h.shape[1]} maps ${h.shape[2]}×${h.shape[3]}`, src: pngDataUrl(tileGrid(h.index(0), { scale, pad: 2 })) });
        pending = null;
      }
    });
  }));
  return out;
}

function isActivationLike(m: Module): boolean {
  return m.numParameters() === 0 && m.namedChildren().length === 0 && /relu|sigmoid|tanh|elu|gelu|step|softplus|swish|silu|mish|softsign/i.test(m.constructor.name);
}

/** Class probabilities for many examples, in batches, without the tape. */
export function predictProbabilities(model: Module, images: Tensor, batchSize = 500): Tensor[] {
  model.eval();
  const out: Tensor[] = [];
  for (let i = 0; i < images.shape[0]; i += batchSize) {
    out.push(noGrad(() => scoped(() => model.call(images.slice(0, i, i + batchSize)).softmax(-1))));
  }
  return out;
}

/** The `k` wrong predictions with the highest confidence. */
export function confidentMistakes(images: Tensor, labels: Tensor, probs: Float32Array | Float64Array, classes: number, k = 16, names?: readonly string[]): { src: string; label: string; predicted: string; confidence: number }[] {
  const lab = labels.dataSync();
  const wrong: { i: number; p: number; c: number }[] = [];
  for (let i = 0; i < lab.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    if (best !== lab[i]) wrong.push({ i, p: best, c: probs[i * classes + best] });
  }
  wrong.sort((a, b) => b.c - a.c);
  const name = (c: number): string => names?.[c] ?? String(c);
  return wrong.slice(0, k).map(({ i, p, c }) => ({
    src: pngDataUrl(tileGrid(images.slice(0, i, i + 1), { scale: 3, pad: 0, normalize: 'none' })),
    label: name(lab[i]),
    predicted: name(p),
    confidence: c,
  }));
}
