// SPDX-License-Identifier: MIT
// Which per-epoch metrics share a chart in the generative report.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metricGroups } from '../../packages/strata-dl-cli/src/viz/generative/curves.js';

describe('metricGroups', () => {
  test('a metric and its test/validation twin share a chart; the GAN losses share one; epoch and seconds are not metrics', () => {
    const groups = metricGroups([
      { epoch: 1, seconds: 2, loss: 1, testLoss: 1.1, kl: 3, valKl: 3.2 },
      { epoch: 2, seconds: 4, loss: 0.9, testLoss: 1, kl: 2, valKl: 2.1, recon: 5 },
    ]);
    assert.deepEqual(groups, [{ title: 'loss', keys: ['loss', 'testLoss'] }, { title: 'kl', keys: ['kl', 'valKl'] }, { title: 'recon', keys: ['recon'] }]);
    assert.deepEqual(metricGroups([{ epoch: 1, seconds: 1, dLoss: 1.3, gLoss: 0.8, dReal: 0.6 }]), [
      { title: 'discriminator and generator losses', keys: ['dLoss', 'gLoss'] }, { title: 'dReal', keys: ['dReal'] },
    ]);
    assert.deepEqual(metricGroups([]), []);
  });
});
