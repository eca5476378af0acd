// SPDX-License-Identifier: MIT
// The projection discriminator starts with logits of the unconditional discriminator's size: its class
// embedding is Xavier-uniform, not Embedding's N(0, 1), which made ⟨embed(y), h⟩ over 3,136 features
// swamp the logit and the first hundreds of GAN steps useless.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

test('projection discriminator: Xavier-uniform class embedding, initial logits as small as the unconditional ones', () => {
  st.manualSeed(0);
  const d = new st.models.DcganDiscriminator({ classes: 10 });
  const w = d.embed!.weight;
  const bound = Math.sqrt(6 / (10 + 3136));
  assert.ok(w.abs().amax().item() <= bound, `max |w| ${w.abs().amax().item()} > ${bound}`);
  assert.ok(w.std().item() > bound / 2, 'not degenerate'); // uniform: std = bound / √3 ≈ 0.58·bound
  const x = st.rand([32, 1, 28, 28]).mul(2).sub(1);
  const y = st.tensor(Array.from({ length: 32 }, (_, i) => i % 10), { dtype: 'int32' });
  d.eval();
  const cond = st.noGrad(() => d.forward(x, y).abs().amax().item());
  const plain = st.noGrad(() => d.head.forward(d.features.forward(x)).abs().amax().item());
  assert.ok(cond < plain + 1, `conditional |logit| ${cond}, unconditional ${plain}`);
});
