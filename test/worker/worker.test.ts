// SPDX-License-Identifier: MIT
// The worker message API (st.worker.expose / st.worker.connect) over a MessageChannel, which speaks
// the same protocol as a Web Worker: results, progress in order, errors, unknown handlers, calls
// queued one at a time, terminate, and a failing worker script. test/browser/worker.test.ts runs
// it in a real dedicated worker in Chromium.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

const handlers = {
  square: (x: number) => x * x,
  count: async (n: number, progress: (i: number) => void) => {
    for (let i = 1; i <= n; i++) {
      progress(i);
      await new Promise((r) => setTimeout(r, 1));
    }
    return `counted to ${n}`;
  },
  fail: (what: string): never => { throw new st.StrataError('fail', `asked to fail: ${what}`); },
  trainXor: (cfg: { steps: number; seed: number }, progress: (p: { step: number; loss: number }) => void) => {
    st.manualSeed(cfg.seed);
    const net = new st.nn.Sequential(new st.nn.Linear(2, 8), new st.nn.Tanh(), new st.nn.Linear(8, 1));
    const opt = new st.optim.Adam(net.parameters(), { lr: 0.05 });
    const x = st.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = st.tensor([[0], [1], [1], [0]]);
    let loss = 0;
    for (let step = 1; step <= cfg.steps; step++) {
      opt.zeroGrad();
      const l = st.nn.functional.binaryCrossEntropyWithLogits(net.forward(x) as st.Tensor, y);
      l.backward();
      opt.step();
      loss = l.item();
      if (step % 50 === 0) progress({ step, loss });
    }
    return { loss, weights: Float32Array.from(net.parameters()[0].dataSync()) };
  },
};
type Handlers = typeof handlers;

function pair(): { client: st.worker.WorkerClient<Handlers>; close(): void } {
  const { port1, port2 } = new MessageChannel();
  st.worker.expose(handlers, port1);
  const client = st.worker.connect<Handlers>(port2);
  return { client, close: () => { port1.close(); port2.close(); } };
}

describe('st.worker over a MessageChannel', () => {
  test('a call resolves to the result, after the progress values in order', async () => {
    const { client, close } = pair();
    try {
      await client.ready;
      assert.equal(await client.call('square', 12), 144);
      const seen: number[] = [];
      assert.equal(await client.call('count', 5, (i) => seen.push(i)), 'counted to 5');
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    } finally {
      close();
    }
  });

  test('training in the handler gives what it gives on this thread; typed arrays come back', async () => {
    const { client, close } = pair();
    try {
      const progress: number[] = [];
      const got = await client.call('trainXor', { steps: 200, seed: 4 }, (p) => progress.push(p.step));
      const want = await handlers.trainXor({ steps: 200, seed: 4 }, () => {});
      assert.deepEqual(progress, [50, 100, 150, 200]);
      assert.ok(got.weights instanceof Float32Array);
      assert.deepEqual(got, want);
    } finally {
      close();
    }
  });

  test('a handler that throws rejects that call only, with its message', async () => {
    const { client, close } = pair();
    try {
      await assert.rejects(client.call('fail', 'please'), (e: Error) => e instanceof st.StrataError &&
        /call 'fail' threw in the worker: StrataError: fail: asked to fail: please/.test(e.message));
      assert.equal(await client.call('square', 3), 9);
    } finally {
      close();
    }
  });

  test('an unknown handler is refused, naming the ones there are', async () => {
    const { client, close } = pair();
    try {
      // @ts-expect-error: not a handler of this worker
      await assert.rejects(client.call('cube', 2), /no handler 'cube'; the worker exposes 'square', 'count', 'fail', 'trainXor'/);
    } finally {
      close();
    }
  });

  test('calls run one at a time, in the order sent', async () => {
    const { client, close } = pair();
    try {
      const log: string[] = [];
      const a = client.call('count', 3, (i) => log.push(`a${i}`));
      const b = client.call('count', 2, (i) => log.push(`b${i}`));
      await Promise.all([a, b]);
      assert.deepEqual(log, ['a1', 'a2', 'a3', 'b1', 'b2']);
    } finally {
      close();
    }
  });

  test('terminate rejects the calls in flight and every later call', async () => {
    const { client, close } = pair();
    try {
      const running = client.call('count', 1000);
      client.terminate();
      await assert.rejects(running, /call 'count' failed: the worker was terminated/);
      await assert.rejects(client.call('square', 2), /the worker was terminated/);
    } finally {
      close();
    }
  });

  test("an error in the worker's script rejects ready and the pending calls", async () => {
    // a worker whose script failed: it never answers, and fires an error event
    const target = new EventTarget() as EventTarget & { postMessage(m: unknown): void };
    target.postMessage = () => {};
    const client = st.worker.connect<Handlers>(target as unknown as st.worker.WorkerEndpoint);
    const pending = client.call('square', 2);
    target.dispatchEvent(Object.assign(new Event('error'), { message: 'SyntaxError: Unexpected token' }));
    await assert.rejects(pending, /call 'square' failed: the worker failed: SyntaxError: Unexpected token/);
    await assert.rejects(client.ready, /the worker failed/);
  });

  test('expose outside a worker, without a port, says what it needs', () => {
    assert.throws(() => st.worker.expose(handlers), /worker.expose: needs a message endpoint/);
  });

  test('the types follow the handlers', () => {
    const { client, close } = pair();
    close();
    client.terminate();
    // compile-time checks only: the calls are never awaited (the client is terminated)
    const check = (): void => {
      // @ts-expect-error: square takes a number
      void client.call('square', 'x').catch(() => {});
      void client.call('trainXor', { steps: 1, seed: 0 }, (p) => p.loss.toFixed()).catch(() => {});
      // @ts-expect-error: the result of square is a number, not a string
      void client.call('square', 1).then((r: string) => r).catch(() => {});
    };
    check();
  });
});
