// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { ProgressBar } from '../../packages/strata-dl-cli/src/progress-bar.js';
import { assertClose } from '../helpers.js';

const { nn, optim, train } = st;
const F = nn.functional;

function memoryFs(): st.io.FileSystem & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async writeFile(p, d) { files.set(p, d.slice()); },
    async readFile(p) { const d = files.get(p); if (!d) throw new Error(`no file ${p}`); return d; },
    async rename(a, b) { files.set(b, files.get(a)!); files.delete(a); },
  };
}

/** Two Gaussian blobs, linearly separable. */
function blobs(n: number, seed: number): { x: st.Tensor; y: st.Tensor } {
  const g = new st.Generator(seed);
  const pts: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    pts.push((c ? 2 : -2) + g.normal() * 0.5, g.normal() * 0.5);
    lab.push(c);
  }
  return { x: st.tensor(pts, { shape: [n, 2] }), y: st.tensor(lab, { dtype: 'int32' }) };
}

test('fit learns, logs loss/metrics per epoch with validation, and evaluate/predict agree', async () => {
  st.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 2));
  const data = blobs(200, 1);
  const lines: string[] = [];
  const h = await st.fit(model, data, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), loss: F.crossEntropy,
    epochs: 3, batchSize: 16, metrics: ['accuracy', 'top1'], validationSplit: 0.25, log: (l) => lines.push(l),
  });
  assert.deepEqual(h.epochs, [0, 1, 2]);
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'top1Accuracy', 'valAccuracy', 'valLoss', 'valTop1Accuracy']);
  assert.ok(h.history.loss[2] < h.history.loss[0]);
  assert.ok(h.last('valAccuracy')! > 0.95);
  assert.equal(lines.length, 3);
  const val = { x: data.x.slice(0, 150), y: data.y.slice(0, 150) };
  const ev = st.evaluate(model, val, { loss: F.crossEntropy, metrics: ['accuracy'] });
  assert.equal(ev.accuracy, st.predict(model, val.x, { batchSize: 7 }).argmax(1).eq(val.y).to('float32').mean().item());
  assert.equal(model.training, true);
});

test('metrics: accuracy (indices, one-hot, binary) and top-k without sorting', () => {
  const pred = st.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.4, 0.35, 0.25]]);
  const y = st.tensor([1, 2, 2, 1], { dtype: 'int32' });
  assert.equal(train.accuracy().compute(pred, y), 0.5);
  assert.equal(train.accuracy().compute(pred, st.eye(3).indexSelect(0, y)), 0.5);
  assert.equal(train.topKAccuracy(2).compute(pred, y), 0.75); // row 1: class 2 is third
  assert.equal(train.topKAccuracy(3).compute(pred, y), 1);
  assert.ok(Math.abs(train.accuracy().compute(st.tensor([[0.9], [0.2], [0.6]]), st.tensor([[1], [1], [0]])) - 1 / 3) < 1e-6);
});

test('a custom trainStep replaces the default loop', async () => {
  const model = new nn.Linear(2, 2);
  let calls = 0;
  await st.fit(model, blobs(40, 2), {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, batchSize: 10, epochs: 2,
    trainStep: (ctx, x, y) => { calls++; return train.defaultTrainStep(ctx, x, y); },
  });
  assert.equal(calls, 8);
});

test('EarlyStopping stops once the validation loss stops improving and restores the best weights', async () => {
  // Training pulls the output toward +1 while validation wants −1: the validation loss rises after
  // the first epoch, so the best epoch is 0, and with patience 2 training must stop at epoch 2.
  const model = new nn.Linear(1, 1, { bias: false });
  model.loadStateDict({ weight: st.tensor([[0]]) });
  const trainData = { x: st.ones([8, 1]), y: st.ones([8, 1]) };
  const valData = { x: st.ones([4, 1]), y: st.full([4, 1], -1) };
  const afterEpoch: number[] = [];
  const es = new train.EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
  const h = await st.fit(model, trainData, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), loss: F.mseLoss, epochs: 50, batchSize: 4, validationData: valData,
    callbacks: [{ onEpochEnd: () => { afterEpoch.push(model.weight.item()); } }, es],
  });
  assert.deepEqual(h.epochs, [0, 1, 2]);
  assert.equal(es.stoppedEpoch, 2);
  assert.equal(es.bestEpoch, 0);
  assert.ok(h.history.valLoss[1] > h.history.valLoss[0] && h.history.valLoss[2] > h.history.valLoss[1]);
  assert.notEqual(afterEpoch[2], afterEpoch[0]);
  assert.equal(model.weight.item(), afterEpoch[0], 'weights of the best epoch are back');
  await assert.rejects(st.fit(model, trainData, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.mseLoss, callbacks: [new train.EarlyStopping()] }), /EarlyStopping: monitor 'valLoss' is not logged; available: loss/);
});

/** A small model with dropout (global RNG), shuffled batches, Adam and a step schedule: all state that must resume. */
function setup(seed: number): { model: st.nn.Module; opt: st.optim.Adam; sched: st.optim.StepLR } {
  st.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(16, 2));
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  return { model, opt, sched: new optim.StepLR(opt, { stepSize: 1, gamma: 0.7 }) };
}

test('a checkpoint written mid-training resumes to exactly the result of an uninterrupted run', async () => {
  const data = blobs(64, 3);
  const common = (s: ReturnType<typeof setup>): st.train.FitOptions => ({
    optimizer: s.opt, loss: F.crossEntropy, batchSize: 8, epochs: 4, callbacks: [new train.LRSchedulerCallback(s.sched)],
  });
  const a = setup(11);
  await st.fit(a.model, data, common(a));

  const fs = memoryFs();
  const b = setup(11);
  const opts = common(b);
  await st.fit(b.model, data, { ...opts, epochs: 2, callbacks: [...opts.callbacks!, new train.ModelCheckpoint({ path: 'ck.safetensors', fs, schedulers: [b.sched] })] });

  const c = setup(999); // another init, another global RNG stream: everything must come from the file
  const ckpt = await st.io.loadCheckpoint('ck.safetensors', fs);
  const done = train.restoreTraining(ckpt, { model: c.model, optimizer: c.opt, schedulers: [c.sched] });
  assert.equal(done, 2);
  await st.fit(c.model, data, { ...common(c), initialEpoch: done });

  for (const [k, t] of Object.entries(a.model.stateDict())) assertClose(c.model.stateDict()[k], t, 0, 0, k);
  assert.equal(c.opt.paramGroups[0].lr, a.opt.paramGroups[0].lr);
  // Without the RNG state the run differs, so the check above can fail.
  const d = setup(999);
  train.restoreTraining({ ...ckpt, metadata: { ...ckpt.metadata, rng: null } }, { model: d.model, optimizer: d.opt, schedulers: [d.sched] });
  await st.fit(d.model, data, { ...common(d), initialEpoch: 2 });
  assert.notDeepEqual([...d.model.parameters()[0].dataSync()], [...a.model.parameters()[0].dataSync()]);
});

test('ModelCheckpoint with saveBestOnly writes only improvements', async () => {
  const fs = memoryFs();
  const model = new nn.Linear(1, 1, { bias: false });
  const mc = new train.ModelCheckpoint({ path: (e) => `ck-${e}`, fs, saveBestOnly: true, monitor: 'valLoss' });
  await st.fit(model, { x: st.ones([4, 1]), y: st.ones([4, 1]) }, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), loss: F.mseLoss, epochs: 3, validationData: { x: st.ones([2, 1]), y: st.full([2, 1], -1) }, callbacks: [mc],
  });
  assert.deepEqual(mc.saved, ['ck-0']);
  assert.deepEqual([...fs.files.keys()], ['ck-0']);
});

test('ProgressBar shows loss, metrics and samples/s', async () => {
  let out = '';
  const stream = Object.assign(new Writable({ write(chunk, _e, cb) { out += String(chunk); cb(); } }), { isTTY: true });
  const model = new nn.Linear(2, 2);
  await st.fit(model, blobs(32, 4), { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, metrics: ['accuracy'], epochs: 1, batchSize: 8, callbacks: [new ProgressBar({ stream })] });
  assert.match(out, /epoch 1\/1/);
  assert.match(out, /loss \d\.\d{4}/);
  assert.match(out, /accuracy \d\.\d{4}/);
  assert.match(out, /samples\/s/);
});

test('memory stays flat over training steps on backends that manage memory', { skip: !st.listBackends().includes('wasm') && 'no wasm backend registered' }, async () => {
  const prev = st.getBackend().name;
  st.setBackend('wasm');
  try {
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 2));
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const data = blobs(64, 5);
    await st.fit(model, data, { optimizer: opt, loss: F.crossEntropy, epochs: 1, batchSize: 8 });
    const before = st.memory();
    await st.fit(model, data, { optimizer: opt, loss: F.crossEntropy, epochs: 3, batchSize: 8 });
    assert.deepEqual(st.memory(), before);
  } finally {
    st.setBackend(prev);
  }
});
