// SPDX-License-Identifier: MIT
// The zoo's cnn-bn (npm start's model): its layers and parameter names, its shapes for MNIST and
// CIFAR-sized inputs, and its outputs in training mode (batch statistics), its running statistics and
// its outputs in eval mode against PyTorch 1.13 (test/models/cnn-bn.torch.py, same formula weights).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

const { models } = st;

/** PyTorch's numbers (test/models/cnn-bn.torch.py, float64). */
const TORCH = {
  train: [0.174984003, -0.046143735, -0.0644016301, 0.0532787547, -0.28026056, 0.160289768, -0.408312048, 0.262313367, -0.417337048, 0.332122812, 0.219836329, -0.0862945073, -0.0311803584, 0.0288304159, -0.265941781, 0.156895091, -0.416029841, 0.280715374, -0.445402151, 0.368293691, 0.205951937, -0.0598854141, -0.0686487251, 0.0752789545, -0.318793084, 0.213216466, -0.472696041, 0.33458202, -0.493480208, 0.407915331],
  runningMean2: [0.00232439916, 0.00225230766, 0.00306346047, 0.00409683542],
  runningVar6: [1.14311105, 1.17216848, 1.16736509, 1.1407591],
  eval: [0.22094262, -0.102246072, -0.00126866375, -0.0133816229, -0.213771724, 0.0976619066, -0.35302035, 0.217425944, -0.385344681, 0.314800741, 0.220520924, -0.10160951, -0.00208477009, -0.0124312579, -0.214803612, 0.0987180594, -0.354042162, 0.218356715, -0.386132763, 0.315402404, 0.22141055, -0.102655924, -0.000939633764, -0.0136115737, -0.213653612, 0.0976621879, -0.353139009, 0.217656396, -0.385674138, 0.315210923],
};

function close(got: ArrayLike<number>, want: number[], what: string, tol = 2e-5): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: got ${got[i]}, PyTorch ${want[i]}`);
}

describe('models.cnnBn (cnn-bn)', () => {
  test("conv-pool-BatchNorm-ReLU twice, then dense 128 and classes: PyTorch's parameter names and 225,130 parameters", () => {
    const net = models.createModel('cnn-bn');
    assert.ok(net instanceof st.nn.Sequential);
    const shapes = Object.fromEntries(net.namedParameters().map(([k, p]) => [k, p.shape]));
    assert.deepEqual(shapes, {
      '0.weight': [32, 1, 3, 3], '2.weight': [32], '2.bias': [32], '4.weight': [64, 32, 3, 3], '6.weight': [64], '6.bias': [64],
      '9.weight': [128, 1600], '9.bias': [128], '11.weight': [10, 128], '11.bias': [10],
    });
    assert.equal(net.numParameters(), 225130);
    assert.ok(Object.keys(net.stateDict()).includes('6.running_var'), Object.keys(net.stateDict()).join());
  });

  test('maps [N, 1, 28, 28] and [N, 3, 32, 32] to [N, classes]', () => {
    assert.deepEqual(models.cnnBn().forward(st.rand([2, 1, 28, 28])).shape, [2, 10]);
    assert.deepEqual(models.cnnBn({ inputShape: [3, 32, 32], classes: 7 }).forward(st.rand([2, 3, 32, 32])).shape, [2, 7]);
    const s = models.cnnBn().summary([1, 28, 28], { print: null });
    assert.equal(s.totalParams, 225130);
  });

  test('training-mode outputs, running statistics and eval-mode outputs match PyTorch', () => {
    const net = models.cnnBn();
    // The formula of cnn-bn.torch.py: 0.1·sin(0.37k + j) for parameter j (BatchNorm's weights 1 + sin(…)).
    net.namedParameters().forEach(([name, p], j) => {
      const bnWeight = name.endsWith('weight') && p.ndim === 1;
      const scale = bnWeight ? 1 : 0.1;
      const v = Float32Array.from({ length: p.size }, (_, k) => scale * Math.sin(0.37 * k + j) + (bnWeight ? 1 : 0));
      st.noGrad(() => p.set_(st.tensor(v, { shape: p.shape })));
    });
    const x = st.tensor(Float32Array.from({ length: 3 * 784 }, (_, k) => Math.cos(0.11 * k) * Math.sin(0.013 * k)), { shape: [3, 1, 28, 28] });
    net.train();
    close(st.noGrad(() => net.forward(x)).dataSync() as Float32Array, TORCH.train, 'train-mode output');
    const sd = net.stateDict();
    close((sd['2.running_mean'].dataSync() as Float32Array).slice(0, 4), TORCH.runningMean2, 'running mean of the first BatchNorm');
    close((sd['6.running_var'].dataSync() as Float32Array).slice(0, 4), TORCH.runningVar6, 'running variance of the second BatchNorm');
    net.eval();
    close(st.noGrad(() => net.forward(x)).dataSync() as Float32Array, TORCH.eval, 'eval-mode output');
  });
});
