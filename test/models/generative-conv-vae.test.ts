// SPDX-License-Identifier: MIT
// The convolutional VAE of the zoo: PyTorch-style state-dict names and shapes, the shapes of its
// outputs, sampling only in training mode, and a few steps of training that lower its ELBO.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

const { models } = st;

describe('ConvVae', () => {
  test('state-dict names and shapes follow the PyTorch module it mirrors', () => {
    const shapes = Object.fromEntries(Object.entries(new models.ConvVae(20).stateDict()).map(([k, v]) => [k, v.shape]));
    assert.deepEqual(shapes, {
      'encoder.0.weight': [32, 1, 4, 4], 'encoder.0.bias': [32], 'encoder.2.weight': [64, 32, 4, 4], 'encoder.2.bias': [64],
      'fc_mu.weight': [20, 3136], 'fc_mu.bias': [20], 'fc_log_var.weight': [20, 3136], 'fc_log_var.bias': [20],
      'decoder.0.weight': [3136, 20], 'decoder.0.bias': [3136],
      'decoder.3.weight': [64, 32, 4, 4], 'decoder.3.bias': [32], 'decoder.5.weight': [32, 1, 4, 4], 'decoder.5.bias': [1],
    });
  });

  test('run gives [N, 784] logits and [N, latent] posterior parameters; eval mode decodes the mean', () => {
    st.manualSeed(0);
    const vae = new models.ConvVae(8);
    const x = st.rand([3, 1, 28, 28]);
    const out = vae.run(x);
    assert.deepEqual(out.logits.shape, [3, 784]);
    assert.deepEqual(out.mu.shape, [3, 8]);
    assert.deepEqual(out.logVar.shape, [3, 8]);
    assert.notDeepEqual(vae.run(x).logits.toArray(), vae.run(x).logits.toArray());
    vae.eval();
    assert.deepEqual(vae.run(x).logits.toArray(), vae.run(x).logits.toArray());
    // the same decode as the mean's: eval-mode logits are decode(mu)
    assert.deepEqual(vae.run(x).logits.toArray(), vae.decode(vae.encode(x).mu).toArray());
    const p = vae.forward(x);
    assert.ok(p.amin().item() >= 0 && p.amax().item() <= 1);
  });

  test('a state dict moves between instances under its snake_case names', () => {
    st.manualSeed(1);
    const a = new models.ConvVae(4), b = new models.ConvVae(4);
    a.eval(); b.eval();
    const x = st.rand([2, 1, 28, 28]);
    assert.notDeepEqual(a.forward(x).toArray(), b.forward(x).toArray());
    b.loadStateDict(a.stateDict());
    assert.deepEqual(a.forward(x).toArray(), b.forward(x).toArray());
  });

  test('a few Adam steps lower the negative ELBO', () => {
    st.manualSeed(0);
    const x = st.rand([16, 1, 28, 28]).gt(0.7).float();
    const vae = new models.ConvVae(8);
    const opt = new st.optim.Adam(vae.parameters(), { lr: 1e-3 });
    vae.eval();
    const first = st.noGrad(() => models.vaeLoss(vae.run(x), x).item());
    vae.train();
    for (let i = 0; i < 15; i++) {
      st.scoped(() => { opt.zeroGrad(); models.vaeLoss(vae.run(x), x).backward(); opt.step(); });
    }
    vae.eval();
    const last = st.noGrad(() => models.vaeLoss(vae.run(x), x).item());
    assert.ok(last < first - 20, `${first} → ${last}`);
  });
});
