// SPDX-License-Identifier: MIT
// `--augment`: the names parse to transforms of raw [N, 1, H, W] images, unknown names are refused
// with the list of known ones, and the defaults suit the dataset (no mirrored digits).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { defaultAugment, parseAugment } from '../../packages/strata-dl-cli/src/cli/augment.js';

describe('--augment', () => {
  const img = st.zeros([4, 1, 8, 8]);
  const data = img.dataSync() as Float32Array;
  for (let i = 0; i < 4; i++) data[i * 64 + 3 * 8 + 1] = 1; // one bright pixel left of centre in each image

  test('none and the empty list mean no augmentation', () => {
    assert.equal(parseAugment('none'), null);
    assert.equal(parseAugment(''), null);
  });

  test('flip mirrors some images left-right and keeps the rest; shift moves the pixel; the shape is kept', () => {
    const x = st.tensor(Array.from(data), { shape: [4, 1, 8, 8] });
    const flipped = parseAugment('flip')!(x, new st.Generator(3)).dataSync();
    let mirrored = 0;
    for (let i = 0; i < 4; i++) {
      if (flipped[i * 64 + 3 * 8 + 6] === 1) mirrored++;
      else assert.equal(flipped[i * 64 + 3 * 8 + 1], 1, `image ${i} is either mirrored or unchanged`);
    }
    assert.ok(mirrored > 0 && mirrored < 4, `seed 3 mirrors some but not all of the 4 images (${mirrored})`);
    const shifted = parseAugment('shift')!(x, new st.Generator(5));
    assert.deepEqual(shifted.shape, [4, 1, 8, 8]);
    const s = shifted.dataSync();
    let moved = 0;
    for (let i = 0; i < 4; i++) if (s[i * 64 + 3 * 8 + 1] !== 1) moved++;
    assert.ok(moved > 0, 'at least one of the 4 pixels moved');
  });

  test('unknown names are refused, naming them and the choices', () => {
    assert.throws(() => parseAugment('shift,zoom,warp'), /augment: unknown augmentations 'zoom', 'warp'; choose from shift, flip, rotate or none/);
  });

  test('defaults: shifts only for digits, shifts and mirroring otherwise', () => {
    assert.equal(defaultAugment('mnist'), 'shift');
    assert.equal(defaultAugment('fashion-mnist'), 'shift,flip');
  });
});
