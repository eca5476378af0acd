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

bindFunctions(st);
bindTensoropsFunctions(st);
bindLayerFunctions(st);
const CASES = [...BASE_CASES, ...TENSOROPS_CASES, ...LAYER_CASES];
const PRIMS: st.Prim[] = [
  'neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'sign',
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'where', 'cast',
  'sum', 'max', 'min', 'argmax', 'argmin', 'reshape', 'permute', 'expand', 'slice', 'pad', 'flip', 'concat',
  'gather', 'scatterAdd', 'matmul', 'unfold', 'fold', 'poolIndex', 'pool', 'conv', 'reluGrad',
  'cumsum', 'cumprod', 'argsort',
];

test('the table covers every primitive', () => {
  const covered = new Set(CASES.flatMap((c) => c.prims));
  assert.deepEqual(PRIMS.filter((p) => !covered.has(p)), []);
});

runOpTable('ops', CASES);
