// SPDX-License-Identifier: MIT
// Anomaly detection on ops: the forward and backward rules, module paths, the switch itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn } = st;

/** Runs `fn` and returns the AnomalyError it throws (failing if it throws nothing or something else). */
function anomaly(fn: () => unknown): st.AnomalyError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof st.AnomalyError, `expected an AnomalyError, got ${String(e)}`);
    assert.ok(e instanceof st.StrataError);
    return e;
  }
  assert.fail('no AnomalyError was thrown');
}

test('forward: an op that makes ±Inf or NaN from finite inputs is named with its shapes', () => {
  const x = st.tensor([[1, 0, 2], [3, 4, 5]]);
  const e = anomaly(() => st.detectAnomaly(() => x.add(1).log().sub(x.log())));
  // x.log() is the first op whose output is non-finite: log(0) = -Infinity at [0, 1]
  assert.equal(e.op, 'log');
  assert.equal(e.info.phase, 'forward');
  assert.equal(e.info.value, '-Infinity');
  assert.deepEqual(e.info.inputShapes, [[2, 3]]);
  assert.deepEqual(e.info.outputShape, [2, 3]);
  assert.match(e.message, /^log: forward made -Infinity at flat index 1 from finite inputs; inputs \[2,3\] float32, output \[2,3\]/);
  // overflow and 0/0
  assert.equal(anomaly(() => st.detectAnomaly(() => st.tensor([50, 1]).exp().mul(1e30))).op, 'mul');
  const z = anomaly(() => st.detectAnomaly(() => st.tensor([0, 1]).div(st.tensor([0, 1]))));
  assert.equal(z.op, 'div');
  assert.equal(z.info.value, 'NaN');
});

test('forward: NaN made from infinities is flagged; infinities from outside (a -Infinity mask) are not', () => {
  const inf = st.tensor([1, Infinity]);
  assert.equal(anomaly(() => st.detectAnomaly(() => inf.sub(inf))).op, 'sub');
  const e0 = anomaly(() => st.detectAnomaly(() => st.tensor([1, 0]).mul(inf)));
  assert.equal(e0.op, 'mul');
  assert.match(e0.message, /made NaN at flat index 1 from infinite inputs/);
  assert.deepEqual(st.detectAnomaly(() => inf.add(1)).toArray(), [2, Infinity]); // Inf from outside, no NaN: passes
  const logits = st.tensor([[1, 2, 3], [4, 5, 6]]);
  const keep = st.tensor([[true, true, false], [true, false, false]], { dtype: 'bool' });
  const masked = st.detectAnomaly(() => logits.where(keep, -Infinity).softmax(-1));
  const p = masked.toArray() as number[][];
  assert.equal(p[0][2], 0);
  assert.ok(Math.abs(p[1][0] - 1) < 1e-6);
  // a row with every entry masked: logSoftmax shifts by the row's maximum, -∞, and -∞ − (-∞) is NaN
  // (PyTorch's log_softmax gives NaN for such a row too)
  const none = st.tensor([[false, false, false], [true, true, true]], { dtype: 'bool' });
  const e = anomaly(() => st.detectAnomaly(() => logits.where(none, -Infinity).softmax(-1)));
  assert.equal(e.op, 'sub');
  assert.deepEqual(e.info.calls, ['Tensor.softmax', 'logSoftmax']);
  assert.match(e.message, /^sub: forward \(in Tensor\.softmax › logSoftmax\) made NaN at flat index 0 from infinite inputs/);
});

test('forward: a NaN in the data is reported at the first op that computes with it, not at reshapes or slices', () => {
  const data = st.tensor([[1, 2, 3, 4], [5, NaN, 7, 8]]);
  const fc = new nn.Linear(2, 3);
  // reshape, slice and permute move the NaN along; Linear's matmul is the first to compute with it
  const e = anomaly(() => st.detectAnomaly(() => fc.forward(data.reshape(4, 2).slice(0, 1, 3).permute(0, 1))));
  assert.equal(e.op, 'matmul');
  assert.deepEqual(e.info.inputShapes, [[2, 2], [3, 2], [3]]);
  assert.deepEqual(e.info.outputShape, [2, 3]);
  assert.match(e.message, /computed with a NaN that input 0 \[2,2\] brought from outside the checked ops/);
  // the same rows without the NaN pass
  const ok = st.detectAnomaly(() => fc.forward(data.reshape(4, 2).slice(0, 0, 2)));
  assert.deepEqual(ok.shape, [2, 3]);
});

test('forward: module paths come from Sequential frames, the model given to detectAnomaly, and parameter inputs', () => {
  st.manualSeed(1);
  class Block extends nn.Module {
    fc1 = new nn.Linear(3, 3);
    fc2 = new nn.Linear(3, 2);
    forward(x: st.Tensor): st.Tensor { return this.fc2.forward(this.fc1.forward(x).exp()); } // direct calls
  }
  class Net extends nn.Module {
    features = new nn.Sequential(new nn.Linear(2, 3), new Block());
    forward(x: st.Tensor): st.Tensor { return this.features.forward(x).log(); }
  }
  const net = new Net();
  const nan = st.tensor([[1, NaN]]);
  // rooted at the model: the full key path, as in the state dict
  let e = anomaly(() => st.detectAnomaly(() => net.forward(nan), { model: net }));
  assert.equal(e.op, 'matmul');
  assert.equal(e.info.module, 'features.0');
  assert.equal(e.info.moduleType, 'Linear');
  assert.match(e.message, /^matmul: forward \(in Linear\.forward › linear\) in module 'features\.0' \(Linear\) computed with a NaN/);
  assert.deepEqual(e.info.calls, ['Linear.forward', 'linear']); // the public ops, from the call stack
  // without a root, the path counts from the outermost Sequential that ran
  e = anomaly(() => st.detectAnomaly(() => net.forward(nan)));
  assert.equal(e.info.module, '0');
  // Block calls fc1 and fc2 directly: the weight among fc2's inputs names the layer;
  // exp has no parameter input, so it is placed in the innermost frame, the Block
  const big = st.tensor([[1e3, 1e3]]);
  const b = net.features.at(1) as Block;
  (net.features.at(0) as st.nn.Linear).weight.set_(st.ones([3, 2]));
  b.fc1.weight.set_(st.ones([3, 3]));
  e = anomaly(() => st.detectAnomaly(() => net.forward(big), { model: net }));
  assert.equal(e.op, 'exp');
  assert.equal(e.info.module, 'features.1');
  assert.equal(e.info.moduleType, 'Block');
  // an infinite weight: the matmul that uses it is in 'features.1.fc2'
  b.fc1.weight.set_(st.ones([3, 3]).mul(1e-3));
  b.fc2.weight.set_(st.full([2, 3], 3e38));
  e = anomaly(() => st.detectAnomaly(() => net.forward(st.ones([1, 2])), { model: net }));
  assert.equal(e.op, 'matmul');
  assert.equal(e.info.module, 'features.1.fc2');
  // the model itself: log of a negative number
  b.fc2.weight.set_(st.full([2, 3], -1));
  b.fc2.bias!.set_(st.full([2], -1));
  e = anomaly(() => st.detectAnomaly(() => net.forward(st.ones([1, 2])), { model: net }));
  assert.equal(e.op, 'log');
  assert.equal(e.info.module, '');
  assert.match(e.message, /forward in the model \(Net\) made NaN/);
});

test('backward: a gradient with NaN or Inf is named with the op, the gradient\'s input and the forward\'s module', () => {
  const x = st.tensor([4, 0, 1], { requiresGrad: true });
  // sqrt(0) is finite in the forward; its gradient 1/(2·sqrt(0)) is Infinity
  let e = anomaly(() => st.detectAnomaly(() => x.sqrt().sum().backward()));
  assert.equal(e.op, 'sqrt');
  assert.equal(e.info.phase, 'backward');
  assert.equal(e.info.value, 'Infinity');
  assert.match(e.message, /^sqrt: backward made Infinity at flat index 1 in the gradient for input 0 \[3\] \(the incoming gradient \[3\] was finite\)/);
  assert.equal(x.grad, null);
  assert.deepEqual(e.info.calls, []); // called directly
  // inside a composite: std of equal values is sqrt(0), whose gradient is Infinity
  e = anomaly(() => st.detectAnomaly(() => st.tensor([2, 2, 2], { requiresGrad: true }).std().backward()));
  assert.equal(e.op, 'sqrt');
  assert.deepEqual(e.info.calls, ['Tensor.std']);
  assert.match(e.message, /^sqrt: backward \(in Tensor\.std\) made Infinity/);
  // inside a layer: the path recorded at forward time is in the message
  class Root extends nn.Module {
    forward(h: st.Tensor): st.Tensor { return h.abs().sqrt(); }
  }
  st.manualSeed(2);
  const model = new nn.Sequential(new nn.Linear(2, 2, { bias: false }), new Root());
  (model.at(0) as st.nn.Linear).weight.set_(st.tensor([[1, -1], [1, 1]]));
  e = anomaly(() => st.detectAnomaly(() => model.forward(st.tensor([[1, 1]])).sum().backward()));
  assert.equal(e.op, 'sqrt');
  assert.equal(e.info.module, '1');
  assert.equal(e.info.moduleType, 'Root');
  assert.match(e.message, /^sqrt: backward in module '1' \(Root\) made Infinity/);
  // a custom op's backward is named by the custom op's name
  const bad = st.customOp({ name: 'badGrad', forward: (t) => t.mul(2), backward: (g) => [g.mul(NaN)] });
  e = anomaly(() => st.detectAnomaly(() => bad(st.tensor([1, 2], { requiresGrad: true })).sum().backward()));
  assert.equal(e.op, 'badGrad');
  assert.equal(e.info.value, 'NaN');
});

test('off (the default): no checks, NaN flows as before; on with finite values: bit-identical results', async () => {
  assert.equal(st.isAnomalyEnabled(), false);
  const x = st.tensor([1, 0], { requiresGrad: true });
  const y = x.log().sum();
  assert.equal(y.item(), -Infinity);
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [1, Infinity]);
  const fc = new nn.Linear(2, 1);
  assert.ok(Number.isNaN(fc.forward(st.tensor([[NaN, 1]])).item()));

  const run = async (detect: boolean): Promise<number[]> => {
    st.manualSeed(7);
    const model = new nn.Sequential(new nn.Linear(3, 5), new nn.Tanh(), new nn.Linear(5, 2));
    const data = { x: st.randn([24, 3]), y: st.randint(0, 2, [24]) };
    const go = (): Promise<st.train.History> => st.fit(model, data, { optimizer: new st.optim.Adam(model.parameters(), { lr: 0.01 }), loss: nn.functional.crossEntropy, epochs: 2, batchSize: 8 });
    await (detect ? st.detectAnomaly(go) : go());
    return model.parameters().flatMap((p) => [...p.dataSync()]);
  };
  const off = await run(false);
  const on = await run(true);
  assert.deepEqual(on, off);
  assert.equal(st.isAnomalyEnabled(), false);
});

test('detectAnomaly returns fn\'s result and restores the previous setting when fn returns, throws or rejects', async () => {
  assert.equal(st.detectAnomaly(() => st.isAnomalyEnabled()), true);
  assert.equal(st.detectAnomaly(() => 42), 42);
  assert.equal(st.isAnomalyEnabled(), false);
  assert.throws(() => st.detectAnomaly(() => { throw new Error('boom'); }), /boom/);
  assert.equal(st.isAnomalyEnabled(), false);
  assert.throws(() => st.detectAnomaly(() => st.tensor([0]).log()), st.AnomalyError);
  assert.equal(st.isAnomalyEnabled(), false);
  // async: on while the promise is pending, off once it settles either way
  const p = st.detectAnomaly(async () => { await new Promise((r) => setTimeout(r, 1)); return st.isAnomalyEnabled(); });
  assert.equal(st.isAnomalyEnabled(), true);
  assert.equal(await p, true);
  assert.equal(st.isAnomalyEnabled(), false);
  await assert.rejects(st.detectAnomaly(async () => { await Promise.resolve(); throw new Error('later'); }), /later/);
  assert.equal(st.isAnomalyEnabled(), false);
  // nested and explicit: the outer setting comes back
  st.setDetectAnomaly(true);
  try {
    assert.throws(() => st.detectAnomaly(() => { throw new Error('inner'); }));
    assert.equal(st.isAnomalyEnabled(), true);
  } finally {
    st.setDetectAnomaly(false);
  }
  assert.equal(st.isAnomalyEnabled(), false);
});

test('the rules hold on every registered backend', () => {
  const was = st.getBackend().name;
  try {
    for (const name of st.listBackends()) {
      st.setBackend(name);
      st.manualSeed(5);
      const model = new nn.Sequential(new nn.Linear(3, 2));
      const f = anomaly(() => st.detectAnomaly(() => model.forward(st.tensor([[1, NaN, 2]]))));
      assert.equal(`${name}: ${f.op} ${f.info.module}`, `${name}: matmul 0`);
      assert.equal(anomaly(() => st.detectAnomaly(() => st.tensor([0, 1]).log())).op, 'log');
      const b = anomaly(() => st.detectAnomaly(() => st.tensor([0, 1], { requiresGrad: true }).sqrt().sum().backward()));
      assert.equal(`${name}: ${b.op} ${b.info.phase}`, `${name}: sqrt backward`);
      assert.deepEqual(st.detectAnomaly(() => model.forward(st.ones([2, 3]))).shape, [2, 2]);
    }
  } finally {
    st.setBackend(was);
  }
});
