// SPDX-License-Identifier: MIT
// A NaN planted in the training data: fit stops at the first affected step (naming the epoch and
// batch, or with detectAnomaly the op and layer), and the last good checkpoint stays intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn, optim, io } = st;
const F = nn.functional;

function memoryFs(): st.io.FileSystem & { files: Map<string, Uint8Array>; writes: string[] } {
  const files = new Map<string, Uint8Array>();
  const writes: string[] = [];
  return {
    files,
    writes,
    async writeFile(p, d) { writes.push(p); files.set(p, d.slice()); },
    async readFile(p) { const d = files.get(p); if (!d) throw new Error(`no file ${p}`); return d; },
    async rename(a, b) { files.set(b, files.get(a)!); files.delete(a); },
  };
}

const BATCHES = 4;
const BATCH = 8;
const BAD_EPOCH = 1; // 0-based: the second epoch
const BAD_BATCH = 2; // 0-based: its third batch

/**
 * Regression data as a re-iterable of [x, y] batches, the same each epoch except that in epoch
 * BAD_EPOCH, batch BAD_BATCH has one NaN (sample 5, feature 1), so epoch 1 trains and is saved first.
 */
function plantedData(): { data: Iterable<st.Tensor[]>; epochsStarted: () => number } {
  st.manualSeed(3);
  const xs = Array.from({ length: BATCHES }, () => st.randn([BATCH, 3]));
  const w = st.tensor([[1], [-2], [0.5]]);
  const ys = xs.map((x) => x.matmul(w));
  let epoch = -1;
  const data = {
    *[Symbol.iterator](): Generator<st.Tensor[]> {
      epoch++;
      for (let b = 0; b < BATCHES; b++) {
        if (epoch === BAD_EPOCH && b === BAD_BATCH) {
          const v = [...xs[b].dataSync()];
          v[5 * 3 + 1] = NaN;
          yield [st.tensor(v, { shape: [BATCH, 3] }), ys[b]];
        } else yield [xs[b], ys[b]];
      }
    },
  };
  return { data, epochsStarted: () => epoch + 1 };
}

function setup(): { model: st.nn.Sequential; opt: st.optim.SGD; fs: ReturnType<typeof memoryFs>; ckpt: st.train.ModelCheckpoint } {
  st.manualSeed(4);
  // the NaN meets Linear's matmul first (no ReLU before it, whose NaN handling is not at issue here)
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const fs = memoryFs();
  const ckpt = new st.train.ModelCheckpoint({ path: 'run/last.safetensors', fs });
  return { model, opt, fs, ckpt };
}

const finite = (ts: Record<string, st.Tensor>): boolean => Object.values(ts).every((t) => [...t.dataSync()].every(Number.isFinite));
const weights = (m: st.nn.Module): number[] => m.parameters().flatMap((p) => [...p.dataSync()]);

/** What epoch 1 leaves on disk, and the weights it saved. */
async function checkpointIntact(fs: ReturnType<typeof memoryFs>, bytes: Uint8Array, saved: number[]): Promise<void> {
  assert.deepEqual([...fs.files.keys()], ['run/last.safetensors']); // no temporary file left either
  assert.deepEqual(fs.files.get('run/last.safetensors'), bytes);
  const back = await io.loadCheckpoint('run/last.safetensors', fs);
  assert.ok(finite(back.tensors));
  assert.equal(back.metadata.epochsDone, 1);
  st.manualSeed(99);
  const fresh = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
  st.train.restoreTraining(back, { model: fresh });
  assert.deepEqual(weights(fresh), saved);
}

test('default fit stops at the first non-finite loss, naming epoch and batch, before the optimizer step; the checkpoint stays good', async () => {
  const { data, epochsStarted } = plantedData();
  const { model, opt, fs, ckpt } = setup();
  let savedWeights: number[] = [];
  let savedBytes = new Uint8Array();
  const batchesDone: string[] = [];
  const probe: st.train.Callback = {
    onEpochEnd: () => { savedWeights = weights(model); savedBytes = fs.files.get('run/last.safetensors')!.slice(); },
    onBatchEnd: (b, _l, s) => { batchesDone.push(`${s.epoch}.${b}`); },
  };
  let before: number[] = [];
  const snap: st.train.Callback = { onBatchBegin: () => { before = weights(model); } };
  const err = await st.fit(model, data, { optimizer: opt, loss: F.mseLoss, epochs: 3, callbacks: [ckpt, probe, snap] }).then(
    () => assert.fail('fit did not stop'), (e: unknown) => e);
  assert.ok(err instanceof st.AnomalyError, String(err));
  assert.equal(err.op, 'fit');
  assert.equal(err.info.phase, 'loss');
  assert.equal(err.info.value, 'NaN');
  assert.equal(err.info.epoch, BAD_EPOCH);
  assert.equal(err.info.batch, BAD_BATCH);
  assert.equal(err.info.step, BAD_EPOCH * BATCHES + BAD_BATCH);
  assert.match(err.message, /^fit: the loss is NaN at epoch 2 of 3, batch 3 \(step 7\); training stopped before the optimizer step/);
  // stopped at the affected step: no later batch ran, and the weights are those before it (finite)
  assert.equal(epochsStarted(), 2);
  assert.equal(batchesDone.at(-1), `${BAD_EPOCH}.${BAD_BATCH - 1}`);
  assert.deepEqual(weights(model), before);
  assert.ok(weights(model).every(Number.isFinite));
  assert.equal(ckpt.saved.length, 1);
  await checkpointIntact(fs, savedBytes, savedWeights);
});

test('with detectAnomaly, fit stops in the forward of the layer that meets the NaN, naming op, module, shapes and step', async () => {
  const { data } = plantedData();
  const { model, opt, fs, ckpt } = setup();
  let savedWeights: number[] = [];
  let savedBytes = new Uint8Array();
  const probe: st.train.Callback = { onEpochEnd: () => { savedWeights = weights(model); savedBytes = fs.files.get('run/last.safetensors')!.slice(); } };
  const err = await st.detectAnomaly(() => st.fit(model, data, { optimizer: opt, loss: F.mseLoss, epochs: 3, callbacks: [ckpt, probe] })).then(
    () => assert.fail('fit did not stop'), (e: unknown) => e);
  assert.equal(st.isAnomalyEnabled(), false);
  assert.ok(err instanceof st.AnomalyError, String(err));
  assert.equal(err.op, 'matmul');
  assert.equal(err.info.phase, 'forward');
  assert.equal(err.info.module, '0');
  assert.equal(err.info.moduleType, 'Linear');
  assert.deepEqual(err.info.inputShapes, [[BATCH, 3], [4, 3], [4]]);
  assert.deepEqual(err.info.outputShape, [BATCH, 4]);
  assert.equal(err.info.epoch, BAD_EPOCH);
  assert.equal(err.info.batch, BAD_BATCH);
  assert.deepEqual(err.info.calls, ['Linear.forward', 'linear']);
  assert.match(err.message, /^matmul: forward \(in Linear\.forward › linear\) in module '0' \(Linear\) at epoch 2 of 3, batch 3 \(step 7\) computed with a NaN that input 0 \[8,3\]/);
  assert.ok(weights(model).every(Number.isFinite));
  await checkpointIntact(fs, savedBytes, savedWeights);
});

test('fit with a hand-written model names the layer by its weight; stopOnNonFinite: false trains on and the checkpoint refuses NaN weights', async () => {
  class Net extends nn.Module {
    encoder = new nn.Linear(3, 4);
    head = new nn.Linear(4, 1);
    forward(x: st.Tensor): st.Tensor { return this.head.forward(this.encoder.forward(x).tanh()); }
  }
  {
    const { data } = plantedData();
    st.manualSeed(4);
    const net = new Net();
    const err = await st.detectAnomaly(() => st.fit(net, data, { optimizer: new optim.SGD(net.parameters(), { lr: 0.05 }), loss: F.mseLoss, epochs: 3 })).then(
      () => assert.fail('fit did not stop'), (e: unknown) => e);
    assert.ok(err instanceof st.AnomalyError);
    assert.equal(err.info.module, 'encoder');
    assert.match(err.message, /^matmul: forward \(in Linear\.forward › linear\) in module 'encoder' \(Linear\) at epoch 2 of 3, batch 3/);
  }
  // without the stop, NaN reaches the weights; ModelCheckpoint then refuses to overwrite the good file
  const { data } = plantedData();
  const { model, opt, fs, ckpt } = setup();
  let savedBytes = new Uint8Array();
  let savedWeights: number[] = [];
  const probe: st.train.Callback = { onEpochEnd: () => { savedWeights = weights(model); savedBytes = fs.files.get('run/last.safetensors')!.slice(); } };
  const losses: number[] = [];
  const log: st.train.Callback = { onBatchEnd: (_b, l) => { losses.push(l.loss); } };
  await assert.rejects(
    st.fit(model, data, { optimizer: opt, loss: F.mseLoss, epochs: 3, callbacks: [ckpt, probe, log], stopOnNonFinite: false }),
    (e: unknown) => e instanceof st.StrataError && /^saveCheckpoint: refusing to write 'run\/last\.safetensors': tensor 'model\.0\.weight' \[4,3\] holds \d+ non-finite value/.test(e.message),
  );
  assert.equal(losses.length, 2 * BATCHES); // epoch 2 ran to its end
  assert.ok(Number.isNaN(losses[BATCHES + BAD_BATCH]));
  assert.ok(!weights(model).every(Number.isFinite));
  await checkpointIntact(fs, savedBytes, savedWeights);
});

test('a custom trainStep that ignores ctx.checkLoss is still stopped after its step', async () => {
  const { data } = plantedData();
  const { model, opt } = setup();
  const step: st.train.TrainStep = (ctx, x, y) => {
    ctx.optimizer.zeroGrad();
    const loss = ctx.loss(ctx.model.forward(x), y);
    loss.backward();
    ctx.optimizer.step();
    return { loss: loss.item() };
  };
  await assert.rejects(st.fit(model, data, { optimizer: opt, loss: F.mseLoss, epochs: 3, trainStep: step }),
    (e: unknown) => e instanceof st.AnomalyError && e.info.epoch === BAD_EPOCH && e.info.batch === BAD_BATCH && /training stopped after the train step/.test(e.message));
});

test('saveSafetensors and saveCheckpoint refuse NaN or Inf before writing anything, unless allowNonFinite', async () => {
  const fs = memoryFs();
  await io.saveSafetensors('w.safetensors', { a: st.tensor([1, 2]), n: st.tensor([3], { dtype: 'int32' }) }, fs);
  const good = fs.files.get('w.safetensors')!.slice();
  const writes = fs.writes.length;
  await assert.rejects(io.saveSafetensors('w.safetensors', { a: st.tensor([1, 2]), b: st.tensor([[0, Infinity], [NaN, 1]]) }, fs),
    /^StrataError: saveSafetensors: refusing to write 'w\.safetensors': tensor 'b' \[2,2\] holds 2 non-finite value\(s\), the first Infinity at flat index 1/);
  await assert.rejects(io.saveCheckpoint('w.safetensors', { tensors: { b: st.tensor([NaN]) }, metadata: {} }, fs), /saveCheckpoint: refusing to write/);
  assert.equal(fs.writes.length, writes); // not even a temporary file
  assert.deepEqual(fs.files.get('w.safetensors'), good);
  await io.saveSafetensors('w.safetensors', { m: st.tensor([-Infinity, 0]) }, fs, undefined, { allowNonFinite: true });
  assert.deepEqual((await io.loadSafetensors('w.safetensors', fs)).m.toArray(), [-Infinity, 0]);
});
