// SPDX-License-Identifier: MIT
// Module.freeze / unfreeze by state-dict name prefix (transfer learning), and the optimizer leaving
// frozen parameters bit-identical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn } = st;

function net(): st.nn.Sequential {
  st.manualSeed(1);
  // 12 layers so that '1' and '10'/'11' differ only by the component boundary.
  const layers: st.nn.Module[] = [];
  for (let i = 0; i < 12; i++) layers.push(new nn.Linear(3, 3));
  return new nn.Sequential(...layers);
}
const trainable = (m: st.nn.Module): string[] => m.namedParameters().filter(([, p]) => p.requiresGrad).map(([k]) => k);

test('freeze(prefix) freezes whole name components: "1" is layer 1, not 10 or 11', () => {
  const m = net().freeze('1');
  const frozen = m.namedParameters().filter(([, p]) => !p.requiresGrad).map(([k]) => k);
  assert.deepEqual(frozen, ['1.weight', '1.bias']);
});

test('a prefix ending in "." and a full parameter name both work; several prefixes at once', () => {
  const m = net().freeze('2.', '3.bias', '4');
  const frozen = m.namedParameters().filter(([, p]) => !p.requiresGrad).map(([k]) => k);
  assert.deepEqual(frozen, ['2.weight', '2.bias', '3.bias', '4.weight', '4.bias']);
});

test('unfreeze(prefix) undoes part of a freeze(); freeze()/unfreeze() with no argument reach every parameter', () => {
  const m = net().freeze();
  assert.deepEqual(trainable(m), []);
  m.unfreeze('11');
  assert.deepEqual(trainable(m), ['11.weight', '11.bias']);
  m.unfreeze();
  assert.equal(trainable(m).length, 24);
  assert.equal(m.numParameters({ trainable: true }), 12 * 12);
});

test('nested modules: the prefix matches the dotted path', () => {
  st.manualSeed(0);
  const m = new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 2)), new nn.Linear(2, 1));
  m.freeze('0.1');
  assert.deepEqual(trainable(m), ['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
});

test('a prefix that names no parameter is a StrataError naming the method, the prefix and the names', () => {
  assert.throws(() => net().freeze('12'), (e: Error) => e instanceof st.StrataError && /Module\.freeze/.test(e.message) && /'12'/.test(e.message) && /0\.weight/.test(e.message));
  assert.throws(() => net().unfreeze('head'), (e: Error) => e instanceof st.StrataError && /Module\.unfreeze/.test(e.message));
});

test('training after freeze(prefix) leaves the frozen weights bit-identical and moves the rest', () => {
  st.manualSeed(3);
  const m = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2)).freeze('0');
  const before = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.dataSync())]));
  const opt = new st.optim.Adam(m.parameters(), { lr: 0.1 });
  const x = st.randn([16, 4]);
  const y = st.tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: 'int32' });
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    st.nn.functional.crossEntropy(m.forward(x), y).backward();
    opt.step();
  }
  const after = m.stateDict();
  assert.deepEqual(Array.from(after['0.weight'].dataSync()), before['0.weight']);
  assert.deepEqual(Array.from(after['0.bias'].dataSync()), before['0.bias']);
  assert.notDeepEqual(Array.from(after['2.weight'].dataSync()), before['2.weight']);
});
