// SPDX-License-Identifier: MIT
// A reduced soak (the full-size run is scripts/soak.ts, results in docs/soak.md):
// the zoo MLP (W1's model) and CNN (W3's) trained on wasm the way fit() trains, with SGD momentum
// state, softmax cross-entropy and `scoped` steps, keep the live tensor bytes exactly flat after
// warm-up, the wasm heap from growing, and the process memory within 10%. Unlike training.test.ts
// (a hand-written MLP and manual SGD) this goes through nn layers, conv/pool kernels and optim.
//
// Process memory is measured after a full garbage collection, in two parts: the JS heap in use, and
// the RSS outside the JS heap's reservation (wasm memory, native buffers, code), which may also
// take in the untouched pages of the (flat) wasm reservation. Raw RSS is not
// asserted: V8 enlarges its young generation and old-space limit over the first thousand or so
// steps of a high allocation rate (heapTotal 30 -> 50 MB here) whatever the program retains, which
// alone moves RSS by 15-30% (docs/soak.md has the numbers).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as st from 'strata-dl';

// The documented way to reach V8's `gc` without a command-line flag: set it, then a new context has it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Mark { bytes: number; tensors: number; reserved: number; heapUsed: number; outsideHeap: number }

function soak(model: 'mlp' | 'cnn', batch: number, warmup: number, steps: number): { warm: Mark; end: Mark; firstLoss: number; lastLoss: number } {
  st.setBackend('wasm');
  const backend = st.getBackend('wasm') as st.WasmBackend;
  const gen = new st.Generator(11);
  st.manualSeed(11);
  const net = st.models[model]();
  const opt = new st.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
  // A fixed batch: the loss must fall as the model memorises it, so the steps do real work.
  const x = st.rand([batch, 1, 28, 28], { generator: gen });
  const y = st.randint(0, 10, [batch], { generator: gen });
  const step = (): number => st.scoped(() => {
    opt.zeroGrad();
    const loss = st.nn.functional.crossEntropy(net.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  });
  const mark = (): Mark => {
    gc();
    const m = process.memoryUsage();
    return { ...st.memory(), reserved: backend.reservedBytes(), heapUsed: m.heapUsed, outsideHeap: m.rss - m.heapTotal };
  };
  const firstLoss = step();
  for (let i = 1; i < warmup; i++) step();
  const warm = mark();
  let lastLoss = firstLoss;
  for (let i = 0; i < steps; i++) lastLoss = step();
  return { warm, end: mark(), firstLoss, lastLoss };
}

function assertFlat(what: string, r: ReturnType<typeof soak>): void {
  assert.equal(r.end.tensors, r.warm.tensors, `${what}: live tensors went from ${r.warm.tensors} to ${r.end.tensors}`);
  assert.equal(r.end.bytes, r.warm.bytes, `${what}: live bytes went from ${r.warm.bytes} to ${r.end.bytes}`);
  assert.equal(r.end.reserved, r.warm.reserved, `${what}: the wasm heap grew from ${r.warm.reserved} to ${r.end.reserved} bytes`);
  const heapGrowth = r.end.heapUsed / r.warm.heapUsed - 1;
  assert.ok(heapGrowth < 0.1, `${what}: heapUsed grew ${(heapGrowth * 100).toFixed(1)}% (${r.warm.heapUsed} -> ${r.end.heapUsed} bytes)`);
  // Outside the JS heap, the wasm memory is reserved (and checked flat above) but its pages count in
  // RSS only once touched: the allocator's free lists reach pages of the reservation that warm-up
  // had not, which on a quiet machine moved RSS by up to the whole reservation. What grows beyond
  // the reservation is growth.
  const outside = (r.end.outsideHeap - r.end.reserved) / r.warm.outsideHeap - 1;
  assert.ok(r.end.outsideHeap <= r.warm.outsideHeap * 1.1 + r.end.reserved,
    `${what}: outsideHeap grew ${((r.end.outsideHeap / r.warm.outsideHeap - 1) * 100).toFixed(1)}% (${r.warm.outsideHeap} -> ${r.end.outsideHeap} bytes), ${(outside * 100).toFixed(1)}% beyond the ${r.end.reserved}-byte wasm reservation`);
  assert.ok(r.lastLoss < r.firstLoss, `${what}: loss did not fall (${r.firstLoss} -> ${r.lastLoss})`);
}

// The worker threads start before the first sample: a worker's isolate (about 20 MB of RSS) coming
// up during the measured steps, which a synchronous loop does not wait for, is not growth.
before(async () => {
  await (st.getBackend('wasm') as st.WasmBackend).ready();
});

// Warm-up: 500 steps, by when the optimizing compiler has settled (its code counts in heapUsed).
test('soak: 2,000 W1-model (MLP) SGD-momentum steps on wasm keep live bytes, wasm heap and process memory flat', () => {
  assertFlat('mlp', soak('mlp', 8, 500, 1_500));
});

test('soak: 100 W3-model (CNN) SGD-momentum steps on wasm keep live bytes, wasm heap and process memory flat', () => {
  assertFlat('cnn', soak('cnn', 2, 20, 100));
});
