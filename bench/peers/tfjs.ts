// SPDX-License-Identifier: MIT
// The workloads on TensorFlow.js 4.22: the pure-JS `cpu` backend and the `wasm` backend (XNNPACK,
// SIMD). Written with tfjs's low-level API (variables, ops, `optimizer.minimize` inside `tidy`),
// which is its fastest training path; tf.layers adds its own overhead on top. Images are NHWC,
// tfjs's native layout; weights are initialized uniformly in ±1/sqrt(fan-in), biases at zero.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CORES, SGD, W4_SHAPE, WORKLOADS, labels, oneHot, uniform, type Runner, type WorkloadId } from './common.js';

export interface TfjsSetup { runner: Runner; backend: string; threads: number; note?: string }

/** Selects the backend; for wasm, points it at the package's .wasm files and asks for `threads`. */
async function selectBackend(backend: 'cpu' | 'wasm', threads: number): Promise<{ threads: number; note?: string }> {
  if (backend === 'cpu') {
    await tf.setBackend('cpu');
    return { threads: 1 };
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(join(dist, '/'));
  wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  const got = wasm.getThreadsCount();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { threads: got, note: `simd ${String(simd)}, multithread support ${String(mt)}, threads ${got} of ${threads} asked` };
}

const fanIn = (shape: number[], fan: number): tf.Variable => {
  const s = 1 / Math.sqrt(fan);
  return tf.variable(tf.randomUniform(shape, -s, s, 'float32', 1));
};
const zeros = (n: number): tf.Variable => tf.variable(tf.zeros([n]));

interface Dense { w: tf.Variable; b: tf.Variable }
const dense = (i: number, o: number): Dense => ({ w: fanIn([i, o], i), b: zeros(o) });
const applyDense = (d: Dense, x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, d.w as tf.Tensor2D), d.b);
interface Conv { w: tf.Variable; b: tf.Variable }
const conv = (k: number, i: number, o: number): Conv => ({ w: fanIn([k, k, i, o], k * k * i), b: zeros(o) });
const applyConv = (c: Conv, x: tf.Tensor4D, pad: 'same' | 'valid'): tf.Tensor4D => tf.add(tf.conv2d(x, c.w as tf.Tensor4D, 1, pad), c.b);

/** A feed-forward model: its variables and its forward pass from a [N, 28, 28, 1] batch to logits. */
interface Model { vars: tf.Variable[]; forward(x: tf.Tensor4D): tf.Tensor2D }

function mlp(): Model {
  const l = [dense(784, 256), dense(256, 128), dense(128, 10)];
  return {
    vars: l.flatMap((d) => [d.w, d.b]),
    forward: (x) => applyDense(l[2], tf.relu(applyDense(l[1], tf.relu(applyDense(l[0], tf.reshape(x, [x.shape[0], 784]))))) as tf.Tensor2D),
  };
}

function lenet(): Model {
  const c1 = conv(5, 1, 6), c2 = conv(5, 6, 16);
  const d = [dense(400, 120), dense(120, 84), dense(84, 10)];
  return {
    vars: [c1.w, c1.b, c2.w, c2.b, ...d.flatMap((l) => [l.w, l.b])],
    forward(x) {
      const a = tf.maxPool(tf.relu(applyConv(c1, x, 'same')), 2, 2, 'valid');
      const b = tf.maxPool(tf.relu(applyConv(c2, a, 'valid')), 2, 2, 'valid');
      const h = tf.relu(applyDense(d[1], tf.relu(applyDense(d[0], tf.reshape(b, [x.shape[0], 400])))));
      return applyDense(d[2], h);
    },
  };
}

function cnn(): Model {
  const c1 = conv(3, 1, 32), c2 = conv(3, 32, 64);
  const d1 = dense(9216, 128), d2 = dense(128, 10);
  return {
    vars: [c1.w, c1.b, c2.w, c2.b, d1.w, d1.b, d2.w, d2.b],
    forward(x) {
      const a = tf.maxPool(tf.relu(applyConv(c2, tf.relu(applyConv(c1, x, 'valid')), 'valid')), 2, 2, 'valid');
      return applyDense(d2, tf.relu(applyDense(d1, tf.reshape(a, [x.shape[0], 9216]))));
    },
  };
}

function trainRunner(model: Model, batch: number): Runner {
  const x = tf.tensor4d(uniform(batch * 784), [batch, 28, 28, 1]);
  const y = tf.tensor2d(oneHot(labels(batch, 10), 10), [batch, 10]);
  const opt = tf.train.momentum(SGD.lr, SGD.momentum);
  return {
    step() {
      tf.tidy(() => { opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(x)), false, model.vars); });
      return batch;
    },
    dispose() { tf.dispose([x, y, ...model.vars]); opt.dispose(); },
  };
}

/** W4: an LSTM cell unrolled over 16 steps (gates i, f, g, o as PyTorch orders them), a dense head, CE at every step. */
function lstmRunner(): Runner {
  const { vocab: V, hidden: H, seq: T, batch: B } = W4_SHAPE;
  const wx = fanIn([V, 4 * H], H), wh = fanIn([H, 4 * H], H), bx = zeros(4 * H), bh = zeros(4 * H);
  const head = dense(H, V);
  const vars = [wx, wh, bx, bh, head.w, head.b];
  const ids = labels((T + 1) * B, V, 4);
  const xs = Array.from({ length: T }, (_, t) => tf.tensor2d(oneHot(ids.subarray(t * B, (t + 1) * B), V), [B, V]));
  const y = tf.tensor2d(oneHot(ids.subarray(B), V), [T * B, V]);
  const opt = tf.train.momentum(SGD.lr, SGD.momentum);
  const loss = (): tf.Scalar => {
    let h: tf.Tensor2D = tf.zeros([B, H]);
    let c: tf.Tensor2D = tf.zeros([B, H]);
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const g = tf.add(tf.add(tf.matMul(xs[t], wx as tf.Tensor2D), bx), tf.add(tf.matMul(h, wh as tf.Tensor2D), bh));
      const [i, f, gg, o] = tf.split(g, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(gg)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      hs.push(h);
    }
    return tf.losses.softmaxCrossEntropy(y, applyDense(head, tf.concat(hs, 0))) as tf.Scalar;
  };
  return {
    step() {
      tf.tidy(() => { opt.minimize(loss, false, vars); });
      return T * B;
    },
    dispose() { tf.dispose([...xs, y, ...vars]); opt.dispose(); },
  };
}

export async function setupTfjs(backend: 'cpu' | 'wasm', workload: WorkloadId, threads = CORES): Promise<TfjsSetup> {
  const sel = await selectBackend(backend, threads);
  let runner: Runner;
  switch (workload) {
    case 'W1': runner = trainRunner(mlp(), WORKLOADS.W1.batch); break;
    case 'W2': runner = trainRunner(lenet(), WORKLOADS.W2.batch); break;
    case 'W3': runner = trainRunner(cnn(), WORKLOADS.W3.batch); break;
    case 'W3i': {
      const model = cnn();
      const x = tf.tensor4d(uniform(256 * 784), [256, 28, 28, 1]);
      runner = {
        step() {
          const out = tf.tidy(() => model.forward(x));
          out.dataSync();
          out.dispose();
          return 256;
        },
        dispose() { tf.dispose([x, ...model.vars]); },
      };
      break;
    }
    case 'W4': runner = lstmRunner(); break;
    case 'W5': {
      const a = tf.tensor2d(uniform(1024 * 1024, 0, 1, 5), [1024, 1024]);
      const b = tf.tensor2d(uniform(1024 * 1024, 0, 1, 6), [1024, 1024]);
      runner = {
        step() {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
          return (2 * 1024 ** 3) / 1e9;
        },
        dispose() { tf.dispose([a, b]); },
      };
      break;
    }
    default:
      throw new Error(`${'tfjs'}: no ${workload} here (the per-op workloads compare Strata with PyTorch)`);
  }
  return { runner, backend: backend === 'cpu' ? 'cpu (js)' : 'wasm (XNNPACK)', threads: sel.threads, ...(sel.note ? { note: sel.note } : {}) };
}
