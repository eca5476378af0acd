// SPDX-License-Identifier: MIT
// fit's validationSplit takes the last fraction, unshuffled (Keras). On data ordered by class it
// validates on a class never trained on; fit now says so once, and validationShuffle draws the
// validation samples at random instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn, optim } = st;
const F = nn.functional;

async function fitSpiral(extra: Partial<st.train.FitOptions>): Promise<{ lines: string[]; warnings: string[]; valAccuracy: number }> {
  st.manualSeed(3);
  const { x, y } = st.data.spiral(100, 3); // 300 samples, ordered class by class
  const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 3));
  const lines: string[] = [];
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => { warnings.push(m); };
  try {
    const h = await st.fit(model, { x, y }, {
      optimizer: new optim.Adam(model.parameters(), { lr: 0.02 }), loss: F.crossEntropy, metrics: ['accuracy'],
      epochs: 20, batchSize: 32, validationSplit: 0.2, ...extra,
    });
    return { lines, warnings, valAccuracy: h.last('valAccuracy')! };
  } finally {
    console.warn = warn;
  }
}

test('validationSplit on class-ordered labels warns once (console.warn) that the validation part holds a class the training part lacks', async () => {
  const r = await fitSpiral({});
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0], 'fit: validationSplit 0.2 holds out the last 60 of 300 samples, unshuffled (as Keras does), but the labels look ordered by class '
    + '(3 runs of equal labels over 300 samples); shuffle the data first or pass validationShuffle: true');
  assert.ok(r.valAccuracy < 0.5, `validated on class 2 alone: ${r.valAccuracy}`);
});

test('the warning goes through fit\'s log when one is given, before the epoch lines, and names classes the training part lacks', async () => {
  const lines: string[] = [];
  const r = await fitSpiral({ epochs: 2, validationSplit: 0.34, log: (l) => lines.push(l) });
  assert.equal(r.warnings.length, 0);
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^fit: validationSplit 0\.34 holds out the last 103 of 300 samples, unshuffled \(as Keras does\), but the labels look ordered by class \(3 runs of equal labels over 300 samples\), and the validation part holds class 2 that the training part lacks; shuffle the data first or pass validationShuffle: true$/);
  assert.match(lines[1], /^epoch 1\/2 /);
});

test('validationShuffle: true draws the validation samples at random: no warning, and the model is validated on classes it learned', async () => {
  const r = await fitSpiral({ validationShuffle: true });
  assert.deepEqual(r.warnings, []);
  assert.ok(r.valAccuracy > 0.6, `validation accuracy ${r.valAccuracy}`);
});

test('one-hot labels are read as classes; shuffled labels and regression targets give no warning', async () => {
  const warnings: string[] = [];
  const model = new nn.Linear(2, 2);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = st.randn([100, 2]);
  const sorted = st.tensor(Array.from({ length: 100 }, (_, i) => (i < 50 ? [1, 0] : [0, 1])));
  await st.fit(model, { x, y: sorted }, { optimizer: opt, loss: F.crossEntropy, validationSplit: 0.3, log: (l) => warnings.push(l) });
  assert.equal(warnings.length, 2); // the warning and one epoch line
  assert.match(warnings[0], /the labels look ordered by class \(2 runs of equal labels over 100 samples\)/);
  assert.doesNotMatch(warnings[0], /lacks/);
  const mixed = st.tensor(Array.from({ length: 100 }, (_, i) => i % 2), { dtype: 'int32' });
  const lines: string[] = [];
  await st.fit(model, { x, y: mixed }, { optimizer: opt, loss: F.crossEntropy, validationSplit: 0.3, log: (l) => lines.push(l) });
  const reg: string[] = [];
  await st.fit(model, { x, y: st.linspace(0, 1, 200).reshape(100, 2) }, { optimizer: opt, loss: F.mseLoss, validationSplit: 0.3, log: (l) => reg.push(l) });
  assert.equal(lines.length + reg.length, 2, [...lines, ...reg].join('\n'));
});
