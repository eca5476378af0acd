// SPDX-License-Identifier: MIT
// Module.call with forward hooks (PyTorch's __call__ with register_forward_pre_hook and
// register_forward_hook), and the explicit fusion step Sequential takes (Module.fuse).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn } = st;

test('call runs pre-hooks, forward, then hooks in registration order; returned values replace inputs and output', () => {
  const fc = new nn.Linear(2, 2);
  const log: string[] = [];
  const x = st.tensor([[1, 2]]);
  const h1 = fc.registerForwardPreHook((m, [input]) => { log.push(`pre ${m.typeName}`); return input.mul(0); });
  const h2 = fc.registerForwardHook((_m, [input], y) => { log.push(`post ${input.sum().item()}`); return y.add(10); });
  const h3 = fc.registerForwardHook(() => { log.push('post2'); });
  const y = fc.call(x);
  assert.deepEqual(log, ['pre Linear', 'post 0', 'post2']);
  // the input was zeroed, so y = bias + 10
  assert.deepEqual([...y.dataSync()], [...fc.bias!.add(10).dataSync()]);
  assert.equal(fc.hasForwardHooks(), true);
  h1.remove(); h2.remove(); h3.remove();
  h1.remove(); // a second remove does nothing
  assert.equal(fc.hasForwardHooks(), false);
  assert.deepEqual([...fc.call(x).dataSync()], [...fc.forward(x).dataSync()]);
  assert.equal(log.length, 3, 'removed hooks do not run');
});

test('a hook may remove itself while hooks run; forward called directly runs no hook', () => {
  const relu = new nn.ReLU();
  let calls = 0;
  const h = relu.registerForwardHook(() => { calls++; h.remove(); });
  relu.call(st.tensor([1]));
  relu.call(st.tensor([1]));
  relu.forward(st.tensor([1]));
  assert.equal(calls, 1);
});

test('Sequential calls its layers through call: a hook sees its own layer output, and a hooked Conv2d + ReLU runs unfused', () => {
  st.manualSeed(1);
  const conv = new nn.Conv2d(1, 2, 3);
  const net = new nn.Sequential(conv, new nn.ReLU());
  const x = st.randn([1, 1, 5, 5]);
  const seen: st.Tensor[] = [];
  const h = conv.registerForwardHook((_m, _xs, y) => { seen.push(y); });
  const y = st.noGrad(() => net.call(x));
  h.remove();
  assert.equal(seen.length, 1);
  // the hook saw the convolution before the ReLU (some values negative), the net's output is ReLU'd
  assert.ok(seen[0].dataSync().some((v) => v < 0));
  assert.deepEqual([...y.dataSync()], [...seen[0].relu().dataSync()]);
});

test('fuse: Conv2d, Conv1d and Linear fuse a following ReLU, not another layer, and not when a subclass has its own forward', () => {
  assert.notEqual(new nn.Conv2d(1, 2, 3).fuse(new nn.ReLU()), null);
  assert.notEqual(new nn.Conv1d(1, 2, 3).fuse(new nn.ReLU()), null);
  assert.notEqual(new nn.Linear(2, 2).fuse(new nn.ReLU()), null);
  assert.equal(new nn.Conv2d(1, 2, 3).fuse(new nn.Tanh()), null);
  assert.equal(new nn.Linear(2, 2).fuse(new nn.Tanh()), null);
  assert.equal(new nn.Flatten().fuse(new nn.ReLU()), null);
  class Shifted extends nn.Conv2d {
    override forward(x: st.Tensor): st.Tensor { return super.forward(x).add(1); }
  }
  class LeakyAsRelu extends nn.ReLU {
    override forward(x: st.Tensor): st.Tensor { return x.sub(1).relu(); }
  }
  assert.equal(new Shifted(1, 2, 3).fuse(new nn.ReLU()), null);
  assert.equal(new nn.Conv2d(1, 2, 3).fuse(new LeakyAsRelu()), null);
  // and Sequential then runs them as written
  st.manualSeed(2);
  const s = new Shifted(1, 2, 3);
  const x = st.randn([1, 1, 4, 4]);
  const y = st.noGrad(() => new nn.Sequential(s, new LeakyAsRelu()).call(x));
  assert.deepEqual([...y.dataSync()], [...st.noGrad(() => s.forward(x).sub(1).relu()).dataSync()]);
});

test('summary uses hooks and removes them: the rows of a Conv2d + ReLU Sequential, and no hook left behind', () => {
  const net = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(2 * 3 * 3, 4));
  const s = net.summary([1, 5, 5], { print: null });
  assert.deepEqual(s.rows.map((r) => `${r.name} ${r.type} ${r.outputShape.join('x')}`), ['0 Conv2d -1x2x3x3', '1 ReLU -1x2x3x3', '2 Flatten -1x18', '3 Linear -1x4']);
  assert.ok(net.modules().every((m) => !m.hasForwardHooks()));
  assert.equal(Object.hasOwn(net.at(0), 'forward'), false, 'no instance patching');
});
