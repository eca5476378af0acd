// SPDX-License-Identifier: MIT
// The loss-option rows (ops.losses.table.ts) through the op-table checks on every backend.
import * as st from 'strata-dl';
import { LOSS_CASES, bindLosses } from './ops.losses.table.js';
import { runOpTable } from './ops.runner.js';

bindLosses(st);
runOpTable('loss options', LOSS_CASES);
