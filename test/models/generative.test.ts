// SPDX-License-Identifier: MIT
// The generative models of the zoo: shapes, PyTorch's parameter names, the VAE's loss against its
// formula and by finite differences, the conditional models' use of the label, and a few steps of
// training that lower each model's loss.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

const { models, nn } = st;
const shapes = (m: st.nn.Module): Record<string, readonly number[]> =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]));

describe('generative models', () => {
  test('autoencoders map [N, 1, 28, 28] to a code and back', () => {
    const x = st.rand([3, 1, 28, 28]);
    for (const ae of [new models.MlpAutoencoder(16), new models.ConvAutoencoder(16)]) {
      assert.deepEqual(ae.encode(x).shape, [3, 16]);
      const y = ae.forward(x);
      assert.deepEqual(y.shape, [3, 1, 28, 28]);
      assert.ok(y.amin().item() >= 0 && y.amax().item() <= 1);
    }
  });

  test("the VAE has PyTorch's example names and shapes (vae/main.py)", () => {
    assert.deepEqual(shapes(new models.Vae()), {
      'fc1.weight': [400, 784], 'fc1.bias': [400], 'fc21.weight': [20, 400], 'fc21.bias': [20],
      'fc22.weight': [20, 400], 'fc22.bias': [20], 'fc3.weight': [400, 20], 'fc3.bias': [400],
      'fc4.weight': [784, 400], 'fc4.bias': [784],
    });
  });

  test('vaeLoss is the Bernoulli reconstruction loss plus the Gaussian KL, per image', () => {
    const logits = st.tensor([[0.5, -1, 2, 0]], { dtype: 'float64', backend: 'js' });
    const x = st.tensor([[1, 0, 0.25, 1]], { dtype: 'float64', backend: 'js' });
    const mu = st.tensor([[0.3, -0.2]], { dtype: 'float64', backend: 'js' });
    const logVar = st.tensor([[0.1, -0.4]], { dtype: 'float64', backend: 'js' });
    const got = models.vaeLoss({ logits, mu, logVar }, x).item();
    const l = [0.5, -1, 2, 0], t = [1, 0, 0.25, 1];
    const bce = l.reduce((s, v, i) => s + Math.max(v, 0) - v * t[i] + Math.log1p(Math.exp(-Math.abs(v))), 0);
    const kl = -0.5 * [[0.3, 0.1], [-0.2, -0.4]].reduce((s, [m, lv]) => s + 1 + lv - m * m - Math.exp(lv), 0);
    assert.ok(Math.abs(got - (bce + kl)) < 1e-12, `${got} vs ${bce + kl}`);
    st.gradcheck((a, b, c) => models.vaeLoss({ logits: a, mu: b, logVar: c }, x), [logits, mu, logVar]);
  });

  test('the VAE samples in training mode and uses the mean in evaluation mode', () => {
    st.manualSeed(0);
    const vae = new models.Vae();
    const x = st.rand([2, 1, 28, 28]);
    const a = vae.run(x).logits.toArray(), b = vae.run(x).logits.toArray();
    assert.notDeepEqual(a, b);
    vae.eval();
    assert.deepEqual(vae.run(x).logits.toArray(), vae.run(x).logits.toArray());
  });

  test('DCGAN: generator [N, latent] → [N, 1, 28, 28] in [−1, 1]; discriminator one logit per image', () => {
    const g = new models.DcganGenerator({ latent: 16 });
    const img = g.forward(st.randn([4, 16]));
    assert.deepEqual(img.shape, [4, 1, 28, 28]);
    assert.ok(img.amin().item() >= -1 && img.amax().item() <= 1);
    assert.deepEqual(new models.DcganDiscriminator().forward(img).shape, [4, 1]);
    assert.deepEqual(Object.keys(g.stateDict()).slice(0, 3), ['net.0.weight', 'net.1.weight', 'net.1.bias']);
  });

  test('conditional DCGAN: the label changes the image and the projection logit; a missing label is an error', () => {
    st.manualSeed(0);
    const g = new models.DcganGenerator({ latent: 16, classes: 10 });
    const d = new models.DcganDiscriminator({ classes: 10 });
    g.eval();
    d.eval();
    const z = st.randn([2, 16]);
    const y0 = st.tensor([0, 0], { dtype: 'int32' }), y1 = st.tensor([1, 1], { dtype: 'int32' });
    assert.notDeepEqual(g.forward(z, y0).toArray(), g.forward(z, y1).toArray());
    const img = g.forward(z, y0);
    assert.notDeepEqual(d.forward(img, y0).toArray(), d.forward(img, y1).toArray());
    assert.throws(() => g.forward(z), /DcganGenerator.forward: a class-conditional generator needs labels/);
    assert.throws(() => d.forward(img), /DcganDiscriminator.forward: a projection discriminator needs labels/);
  });

  test('a few steps of training lower each loss (autoencoder MSE, VAE ELBO, discriminator BCE)', () => {
    st.manualSeed(0);
    const x = st.rand([16, 1, 28, 28]).gt(0.7).float();
    const runs: [st.nn.Module, () => st.Tensor][] = [];
    const ae = new models.ConvAutoencoder(8);
    runs.push([ae, () => nn.functional.mseLoss(ae.forward(x), x)]);
    const vae = new models.Vae(8, 64);
    runs.push([vae, () => models.vaeLoss(vae.run(x), x)]);
    const d = new models.DcganDiscriminator();
    const labels = st.tensor(Array.from({ length: 16 }, (_, i) => [i % 2]));
    const marked = x.mul(labels.reshape([16, 1, 1, 1]));
    runs.push([d, () => nn.functional.binaryCrossEntropyWithLogits(d.forward(marked), labels)]);
    for (const [model, loss] of runs) {
      const opt = new st.optim.Adam(model.parameters(), { lr: 1e-3 });
      const first = st.noGrad(() => loss().item());
      for (let i = 0; i < 15; i++) {
        st.scoped(() => {
          opt.zeroGrad();
          loss().backward();
          opt.step();
        });
      }
      const last = st.noGrad(() => loss().item());
      assert.ok(last < first, `${model.constructor.name}: ${first} → ${last}`);
    }
  });
});
