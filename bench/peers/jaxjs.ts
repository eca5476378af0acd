// SPDX-License-Identifier: MIT
// The workloads on jax-js 0.1.25 (`@jax-js/jax`), its wasm device, written as its MNIST demo writes
// them: parameters in a pytree, the whole training step (valueAndGrad, SGD with momentum) under
// `jit`, NCHW convolutions through `lax.convGeneralDilated`, max-pool through `lax.reduceWindow`.
// jax-js counts references: every use of an array consumes it, so arrays used again pass `.ref`.
//
// Threads: jax-js runs its wasm kernels on a pool of Web Workers when `SharedArrayBuffer` and a
// global `Worker` exist, else on the calling thread. Node 20 has no global `Worker`, so with
// threads > 1 this file installs a small Web Worker shim over `node:worker_threads` (the pool sends
// its worker source as a blob: URL, which worker_threads cannot load; the shim reads the blob and
// evaluates it) and reports `navigator.hardwareConcurrency` = threads, which jax-js reads for the
// pool size. With threads = 1 no pool is made and kernels run synchronously on the main thread.
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';
import { SGD, W4_SHAPE, WORKLOADS, labels, oneHot, uniform, type Runner, type WorkloadId } from './common.js';

const WORKER_PRELUDE = `
const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (data) => parentPort.postMessage(data);
let loaded = false;
parentPort.on('message', (data) => {
  if (!loaded) { loaded = true; (0, eval)(data); return; }
  self.onmessage({ data });
});`;

/** Just enough of the Web Worker API for jax-js's pool: onmessage, onerror, postMessage, terminate. */
class ShimWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  private readonly worker: NodeWorker;
  private readonly ready: Promise<void>;
  constructor(url: string | URL) {
    this.worker = new NodeWorker(WORKER_PRELUDE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (data: unknown) => this.onmessage?.({ data }));
    this.worker.on('error', (e: Error) => this.onerror?.({ message: e.message }));
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`ShimWorker: ${String(url)} is not a blob URL`);
    this.ready = blob.text().then((src) => { this.worker.postMessage(src); });
  }
  postMessage(data: unknown): void { void this.ready.then(() => this.worker.postMessage(data)); }
  terminate(): void { void this.worker.terminate(); }
}

function installWorkerShim(threads: number): void {
  Object.defineProperty(globalThis, 'Worker', { value: ShimWorker, configurable: true, writable: true });
  Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: threads }, configurable: true, writable: true });
}

export async function setupJax(workload: WorkloadId, threads: number): Promise<{ runner: Runner; backend: string; threads: number; note?: string }> {
  if (threads > 1) installWorkerShim(threads);
  const jax = await import('@jax-js/jax');
  const { numpy: np, nn, lax, tree, jit, valueAndGrad, blockUntilReady, random } = jax;
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  type A = InstanceType<typeof np.Array>;
  type Params = { [k: string]: A };

  let key = random.key(1);
  const param = (shape: number[], fan: number): A => {
    const [k, sub] = random.split(key, 2);
    key = k;
    const s = 1 / Math.sqrt(fan);
    return random.uniform(sub, shape, { minval: -s, maxval: s });
  };
  const zeros = (shape: number[]): A => np.zeros(shape);
  const maxPool2 = (x: A): A => lax.reduceWindow(x, np.max, [2, 2], [2, 2]);
  const dense = (x: A, w: A, b: A): A => np.dot(x, w).add(b);
  const conv = (x: A, w: A, b: A, pad: 'SAME' | 'VALID'): A => lax.convGeneralDilated(x, w, [1, 1], pad).add(b);

  const models: Record<'W1' | 'W2' | 'W3', { init(): Params; forward(p: Params, x: A): A }> = {
    W1: {
      init: () => ({ w1: param([784, 256], 784), b1: zeros([256]), w2: param([256, 128], 256), b2: zeros([128]), w3: param([128, 10], 128), b3: zeros([10]) }),
      forward: (p, x) => dense(nn.relu(dense(nn.relu(dense(x.reshape([-1, 784]), p.w1, p.b1)), p.w2, p.b2)), p.w3, p.b3),
    },
    W2: {
      init: () => ({
        c1: param([6, 1, 5, 5], 25), cb1: zeros([6, 1, 1]), c2: param([16, 6, 5, 5], 150), cb2: zeros([16, 1, 1]),
        w1: param([400, 120], 400), b1: zeros([120]), w2: param([120, 84], 120), b2: zeros([84]), w3: param([84, 10], 84), b3: zeros([10]),
      }),
      forward(p, x) {
        const a = maxPool2(nn.relu(conv(x, p.c1, p.cb1, 'SAME')));
        const b = maxPool2(nn.relu(conv(a, p.c2, p.cb2, 'VALID'))).reshape([-1, 400]);
        return dense(nn.relu(dense(nn.relu(dense(b, p.w1, p.b1)), p.w2, p.b2)), p.w3, p.b3);
      },
    },
    W3: {
      init: () => ({
        c1: param([32, 1, 3, 3], 9), cb1: zeros([32, 1, 1]), c2: param([64, 32, 3, 3], 288), cb2: zeros([64, 1, 1]),
        w1: param([9216, 128], 9216), b1: zeros([128]), w2: param([128, 10], 128), b2: zeros([10]),
      }),
      forward(p, x) {
        const a = maxPool2(nn.relu(conv(nn.relu(conv(x, p.c1, p.cb1, 'VALID')), p.c2, p.cb2, 'VALID'))).reshape([-1, 9216]);
        return dense(nn.relu(dense(a, p.w1, p.b1)), p.w2, p.b2);
      },
    },
  };

  /** Softmax cross-entropy against one-hot targets, mean over rows. */
  const crossEntropy = (logits: A, y: A): A => {
    const n = logits.shape[0];
    return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / n);
  };

  /** A jitted training step: (params, momentum, x, y) → [loss, params', momentum'] (PyTorch's momentum convention). */
  const trainStep = (loss: (p: Params, x: A, y: A) => A) => jit((p: Params, m: Params, x: A, y: A): [A, Params, Params] => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y);
    const p2: Params = {};
    const m2: Params = {};
    for (const k of Object.keys(p)) {
      m2[k] = m[k].mul(SGD.momentum).add(g[k]);
      p2[k] = p[k].sub(m2[k].ref.mul(SGD.lr));
    }
    return [l, p2, m2];
  });

  const trainRunner = (init: () => Params, loss: (p: Params, x: A, y: A) => A, x: A, y: A, work: number): Runner => {
    let p = init();
    let m: Params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, np.zerosLike(v.ref)]));
    const step = trainStep(loss);
    return {
      async step() {
        const [l, p2, m2] = step(p, m, x.ref, y.ref);
        p = p2;
        m = m2;
        await blockUntilReady([l, p, m]);
        l.dispose();
        return work;
      },
      dispose() { tree.dispose([p, m, x, y]); step.dispose(); },
    };
  };

  let runner: Runner;
  switch (workload) {
    case 'W1': case 'W2': case 'W3': {
      const model = models[workload];
      const batch = WORKLOADS[workload].batch;
      const x = np.array(uniform(batch * 784)).reshape([batch, 1, 28, 28]);
      const y = np.array(oneHot(labels(batch, 10), 10)).reshape([batch, 10]);
      runner = trainRunner(model.init, (p, xx, yy) => crossEntropy(model.forward(p, xx), yy), x, y, batch);
      break;
    }
    case 'W3i': {
      const p = models.W3.init();
      const x = np.array(uniform(256 * 784)).reshape([256, 1, 28, 28]);
      const predict = jit((pp: Params, xx: A): A => models.W3.forward(pp, xx));
      runner = {
        async step() {
          const out = predict(tree.ref(p), x.ref);
          await out.data();
          return 256;
        },
        dispose() { tree.dispose([p, x]); predict.dispose(); },
      };
      break;
    }
    case 'W4': {
      const { vocab: V, hidden: H, seq: T, batch: B } = W4_SHAPE;
      const ids = labels((T + 1) * B, V, 4);
      const x = np.array(oneHot(ids.subarray(0, T * B), V)).reshape([T, B, V]);
      const y = np.array(oneHot(ids.subarray(B), V)).reshape([T * B, V]);
      const init = (): Params => ({ wx: param([V, 4 * H], H), wh: param([H, 4 * H], H), bx: zeros([4 * H]), bh: zeros([4 * H]), wo: param([H, V], H), bo: zeros([V]) });
      const loss = (p: Params, xs: A, ys: A): A => {
        let h = np.zeros([B, H]);
        let c = np.zeros([B, H]);
        const hs: A[] = [];
        for (let t = 0; t < T; t++) {
          const g = np.dot(xs.ref.slice(t), p.wx.ref).add(p.bx.ref).add(np.dot(h, p.wh.ref).add(p.bh.ref));
          const gate = (i: number): A => g.ref.slice([], [i * H, (i + 1) * H]);
          c = nn.sigmoid(gate(1)).mul(c).add(nn.sigmoid(gate(0)).mul(np.tanh(gate(2))));
          h = nn.sigmoid(gate(3)).mul(np.tanh(c.ref));
          g.dispose();
          hs.push(h.ref);
        }
        tree.dispose([h, c, xs, p.wx, p.wh, p.bx, p.bh]);
        return crossEntropy(dense(np.concatenate(hs, 0), p.wo, p.bo), ys);
      };
      runner = trainRunner(init, loss, x, y, T * B);
      break;
    }
    case 'W5': {
      const a = np.array(uniform(1024 * 1024, 0, 1, 5)).reshape([1024, 1024]);
      const b = np.array(uniform(1024 * 1024, 0, 1, 6)).reshape([1024, 1024]);
      runner = {
        async step() {
          const c = np.matmul(a.ref, b.ref);
          await blockUntilReady(c);
          c.dispose();
          return (2 * 1024 ** 3) / 1e9;
        },
        dispose() { a.dispose(); b.dispose(); },
      };
      break;
    }
    default:
      throw new Error(`${'jax-js'}: no ${workload} here (the per-op workloads compare Strata with PyTorch)`);
  }
  const pool = threads > 1 ? `${threads} workers (Web Worker shim over worker_threads)` : 'main thread, no worker pool';
  return { runner, backend: 'wasm', threads, note: `jit; ${pool}` };
}
