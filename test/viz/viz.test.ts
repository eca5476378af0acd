// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { confidentMistakes, confusionMatrix, decodePng, encodePng, featureMaps, firstLayerFilters, renderReport, tileGrid } from '../../packages/strata-dl-cli/src/viz/index.js';
import { cnn } from '../../packages/strata-dl/src/models/index.js';

describe('viz', () => {
  test('tileGrid lays tiles out with padding and scales each to its range', () => {
    const t = st.tensor([[[0, 1], [2, 3]], [[5, 5], [5, 9]], [[0, 0], [0, 0]]]); // 3 tiles 2x2
    const img = tileGrid(t, { cols: 2, pad: 1, scale: 2 });
    assert.equal(img.width, 2 * 4 + 3);
    assert.equal(img.height, 2 * 4 + 3);
    const px = (x: number, y: number): number => img.data[(y * img.width + x) * 4];
    assert.equal(px(1, 1), 0); // first tile's minimum is black
    assert.equal(px(3, 3), 255); // its maximum white
    assert.equal(px(0, 0), 255); // padding is white
    assert.equal(px(6, 1), 0); // second tile: its minimum (5) is black
    assert.equal(px(9, 4), 255); // and its maximum (9) white
    assert.throws(() => tileGrid(st.zeros([2, 2])), /tileGrid: expects \[N, H, W\] or \[N, 1, H, W\], got \[2,2\]/);
  });
  test('diverging colormap: negative blue, positive red, zero white', () => {
    const img = tileGrid(st.tensor([[[-1, 0, 1]]]), { pad: 0, colormap: 'diverging' });
    const rgb = (x: number): number[] => [...img.data.slice(x * 4, x * 4 + 3)];
    assert.deepEqual(rgb(0), [0, 0, 255]);
    assert.deepEqual(rgb(1), [255, 255, 255]);
    assert.deepEqual(rgb(2), [255, 0, 0]);
  });
  test('PNG encode/decode round trip', () => {
    const img = tileGrid(st.rand([4, 5, 7]), { pad: 2 });
    const back = decodePng(encodePng(img));
    assert.equal(back.width, img.width);
    assert.deepEqual([...back.data], [...img.data]);
    assert.throws(() => decodePng(new Uint8Array([1, 2, 3])), /decodePng: not a readable PNG image/);
  });
  test('confusion matrix counts true × predicted', () => {
    const m = confusionMatrix(st.tensor([0, 1, 1, 2], { dtype: 'int32' }), st.tensor([0, 1, 2, 2], { dtype: 'int32' }), 3);
    assert.deepEqual(m, [[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
  });
  test('the report is one self-contained page with every section', () => {
    const src = 'data:image/png;base64,' + Buffer.from(encodePng(tileGrid(st.rand([1, 3, 3])))).toString('base64');
    const html = renderReport({
      title: 'Run <1>', facts: [['test accuracy', '99.1%']], history: [{ epoch: 1, loss: 0.5, accuracy: 0.9, valLoss: 0.4, valAccuracy: 0.92 }],
      summary: 'Sequential', filters: [{ caption: 'conv1', src }], featureMaps: [{ caption: 'conv1', src }],
      confusion: { matrix: [[1, 0], [0, 1]], classes: ['0', '1'] }, mistakes: [{ src, label: '3', predicted: '5', confidence: 0.97 }],
    });
    for (const id of ['facts', 'curves', 'model', 'filters', 'features', 'confusion', 'mistakes']) assert.ok(html.includes(`<section id="${id}">`), id);
    assert.ok(html.includes('Run &lt;1&gt;'));
    assert.ok(!/src="https?:/.test(html), 'no external resources');
    assert.ok(html.includes('new Chart('));
  });
  test('insights of a CNN: first-layer filters, one picture per conv layer, mistakes by confidence', () => {
    st.manualSeed(0);
    const model = cnn();
    const f = firstLayerFilters(model);
    assert.ok(f && f.caption.startsWith('0: 32 filters 3×3') && f.src.startsWith('data:image/png;base64,'));
    const maps = featureMaps(model, st.rand([1, 1, 28, 28]));
    assert.deepEqual(maps.map((m) => m.caption), ['layer 0: 32 maps 26×26', 'layer 2: 64 maps 24×24']);
    const probs = Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3]);
    const wrong = confidentMistakes(st.rand([4, 1, 2, 2]), st.tensor([1, 1, 0, 0], { dtype: 'int32' }), probs, 2);
    assert.deepEqual(wrong.map((w) => [w.label, w.predicted, w.confidence.toFixed(2)]), [['1', '0', '0.90'], ['0', '1', '0.60']]);
  });
});
