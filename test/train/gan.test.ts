// SPDX-License-Identifier: MIT
// ganStep and the GAN checkpoint: the generator learns a 1-D Gaussian; the discriminator's update
// never reaches the generator; a resumed run matches the uninterrupted one bit for bit; a
// conditional step runs with labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn, train } = st;

function makeGan(seed: number): st.train.Gan {
  st.manualSeed(seed);
  const generator = new nn.Sequential(new nn.Linear(4, 16), new nn.LeakyReLU(0.2), new nn.Linear(16, 1));
  const discriminator = new nn.Sequential(new nn.Linear(1, 16), new nn.LeakyReLU(0.2), new nn.Linear(16, 1));
  return {
    generator, discriminator, latent: 4,
    optG: new st.optim.Adam(generator.parameters(), { lr: 5e-3, betas: [0.5, 0.999] }),
    optD: new st.optim.Adam(discriminator.parameters(), { lr: 5e-3, betas: [0.5, 0.999] }),
  };
}
const realBatch = (): st.Tensor => st.randn([64, 1]).mul(0.5).add(3);
const params = (gan: st.train.Gan): number[][] =>
  [...gan.generator.parameters(), ...gan.discriminator.parameters()].map((p) => Array.from(p.dataSync(), Number));

test('the generator moves its samples to the data (a Gaussian with mean 3)', () => {
  const gan = makeGan(0);
  const mean = (): number => st.noGrad(() => gan.generator.forward(st.randn([1000, 4])).mean().item());
  const before = mean();
  for (let i = 0; i < 600; i++) {
    const { lossD, lossG } = train.ganStep(gan, realBatch());
    assert.ok(Number.isFinite(lossD) && Number.isFinite(lossG));
  }
  assert.ok(Math.abs(mean() - 3) < 0.75 && Math.abs(before - 3) > 2, `mean ${before} → ${mean()}`);
});

test("the discriminator's loss does not reach the generator: a step with optG's lr at 0 leaves G unchanged", () => {
  const gan = makeGan(1);
  gan.optG = new st.optim.SGD(gan.generator.parameters(), { lr: 0 });
  const g0 = gan.generator.parameters().map((p) => Array.from(p.dataSync(), Number));
  const d0 = gan.discriminator.parameters().map((p) => Array.from(p.dataSync(), Number));
  train.ganStep(gan, realBatch());
  assert.deepEqual(gan.generator.parameters().map((p) => Array.from(p.dataSync(), Number)), g0);
  assert.notDeepEqual(gan.discriminator.parameters().map((p) => Array.from(p.dataSync(), Number)), d0);
});

test('a GAN resumed from its checkpoint continues bit for bit', () => {
  const full = makeGan(2);
  for (let i = 0; i < 20; i++) train.ganStep(full, realBatch());
  const expected = params(full);

  const first = makeGan(2);
  for (let i = 0; i < 10; i++) train.ganStep(first, realBatch());
  const bytes = st.io.encodeCheckpoint(train.ganCheckpoint(first, 10));
  st.manualSeed(99); // a different random state, which the checkpoint restores
  const resumed = makeGan(3); // other initial weights, replaced by the checkpoint's
  assert.equal(train.restoreGan(st.io.decodeCheckpoint(bytes), resumed), 10);
  for (let i = 0; i < 10; i++) train.ganStep(resumed, realBatch());
  assert.deepEqual(params(resumed), expected);
});

test('a class-conditional step runs with labels; wrong labels and a non-GAN checkpoint are refused', () => {
  st.manualSeed(0);
  const generator = new st.models.DcganGenerator({ latent: 8, classes: 10 });
  const discriminator = new st.models.DcganDiscriminator({ classes: 10 });
  const gan: st.train.Gan = {
    generator, discriminator, latent: 8,
    optG: new st.optim.Adam(generator.parameters(), { lr: 2e-4 }), optD: new st.optim.Adam(discriminator.parameters(), { lr: 2e-4 }),
  };
  const real = st.rand([4, 1, 28, 28]).mul(2).sub(1);
  const { lossD, lossG } = train.ganStep(gan, real, st.tensor([0, 1, 2, 3], { dtype: 'int32' }));
  assert.ok(Number.isFinite(lossD) && Number.isFinite(lossG));
  assert.throws(() => train.ganStep(gan, real, st.tensor([0, 1], { dtype: 'int32' })), /ganStep: labels must be \[4\] for 4 real samples, got \[2\]/);
  assert.throws(() => train.restoreGan({ tensors: {}, metadata: {} }, gan), /restoreGan: the checkpoint has no discriminator state/);
});
