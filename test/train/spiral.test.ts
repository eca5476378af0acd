// SPDX-License-Identifier: MIT
// Lecture 17: on the 3-class spiral a linear classifier stays near chance while a 2-layer ReLU
// network separates the arms (examples/spiral.ts, the same code that prints the numbers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decisionBoundaryPng, runSpiral } from '../../examples/spiral.js';

test('spiral: 2-layer ReLU network ≥ 98% training accuracy, linear softmax and SVM ≤ 60%', () => {
  const { x, y, softmax, svm, mlp } = runSpiral(0);
  assert.deepEqual(x.shape, [300, 2]);
  assert.ok(mlp.accuracy >= 0.98, `2-layer network: ${mlp.accuracy}`);
  assert.ok(softmax.accuracy <= 0.6, `softmax: ${softmax.accuracy}`);
  assert.ok(svm.accuracy <= 0.6, `SVM: ${svm.accuracy}`);
  assert.ok(softmax.accuracy > 0.4 && svm.accuracy > 0.4, 'the linear models did learn something (chance is 1/3)');
  const png = decisionBoundaryPng(mlp.model, x, y, 40);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
});
