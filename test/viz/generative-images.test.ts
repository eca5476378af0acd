// SPDX-License-Identifier: MIT
// The picture layouts of the generative report, read back from the PNG: grids in [0, 1] unstretched,
// and reconstructions as bands of an input row over its reconstruction row.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePng } from '../../packages/strata-dl-cli/src/viz/index.js';
import { gridUrl, pairsUrl } from '../../packages/strata-dl-cli/src/viz/generative/images.js';
import type { ImageSet } from '../../packages/strata-dl-cli/src/viz/generative/types.js';

/** Grey level of the centre of tile (row, col) in a grid of 2×2 tiles, scale 2, padding 2. */
function tileGrey(url: string, row: number, col: number): number {
  const img = decodePng(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
  const x = 2 + col * 6 + 2;
  const y = 2 + row * 6 + 2;
  return img.data[(y * img.width + x) * 4];
}

const flat = (v: number): Float32Array => new Float32Array(4).fill(v);
const set = (values: number[]): ImageSet => ({ height: 2, width: 2, images: values.map(flat) });

describe('generative report pictures', () => {
  test('gridUrl keeps [0, 1] as it is: a faint image stays faint', () => {
    const url = gridUrl(set([0, 0.2, 1]), 'samples', 3);
    assert.deepEqual([0, 1, 2].map((c) => tileGrey(url, 0, c)), [0, 51, 255]);
  });

  test('pairsUrl: inputs over their reconstructions, a blank row between bands, short rows padded blank', () => {
    const url = pairsUrl(set([0.1, 0.2, 0.3]), set([0.5, 0.6, 0.7]), 2);
    const img = decodePng(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    assert.equal(img.width, 2 + 2 * 6);
    assert.equal(img.height, 2 + 5 * 6); // input, output, blank, input, output
    const grey = (v: number): number => Math.round(Math.fround(v) * 255); // tileGrid rounds the float32 value
    assert.deepEqual([[0, 0], [0, 1], [1, 0], [1, 1]].map(([r, c]) => tileGrey(url, r, c)), [0.1, 0.2, 0.5, 0.6].map(grey));
    assert.deepEqual([tileGrey(url, 2, 0), tileGrey(url, 2, 1)], [255, 255]);
    assert.deepEqual([tileGrey(url, 3, 0), tileGrey(url, 4, 0)], [0.3, 0.7].map(grey));
    assert.deepEqual([tileGrey(url, 3, 1), tileGrey(url, 4, 1)], [255, 255]);
  });

  test('mismatched sets name the report and the field', () => {
    assert.throws(() => pairsUrl(set([0.1, 0.2]), set([0.5]), 2), /renderGenerativeReport: reconstructions need as many outputs as inputs/);
    assert.throws(() => pairsUrl(set([0.1]), { height: 2, width: 2, images: [new Float32Array(3)] }), /renderGenerativeReport: reconstructions\.outputs\.images\[0\] has 3 values/);
    assert.throws(() => gridUrl(set([]), 'samples'), /renderGenerativeReport: samples has no images/);
  });
});
