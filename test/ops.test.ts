// SPDX-License-Identifier: MIT
// The op table, run on every registered backend: forward against an independent reference, the
// reverse gradient by finite differences (float64), forward mode against reverse mode, second
// derivatives where marked, and every non-reference backend's gradients against the js backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { CASES as BASE_CASES, bindFunctions } from './ops.table.js';
import { TENSOROPS_CASES, bindTensoropsFunctions } from './ops.tensorops.table.js';
import { LAYER_CASES, bindLayerFunctions } from './ops.layers.table.js';
import { runOpTable } from './ops.runner.js';
import { uncovered } from './primitives.js';

bindFunctions(st);
bindTensoropsFunctions(st);
bindLayerFunctions(st);
const CASES = [...BASE_CASES, ...TENSOROPS_CASES, ...LAYER_CASES];
test('the table covers every primitive', () => {
  assert.deepEqual(uncovered(CASES), []);
});

runOpTable('ops', CASES);
