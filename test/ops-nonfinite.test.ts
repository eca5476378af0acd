// SPDX-License-Identifier: MIT
// NaN, ±inf and -0 through every primitive on every registered backend, against PyTorch (see
// ops.nonfinite.table.ts; the relaxed-SIMD wasm build runs the same table in
// wasm/nonfinite-relaxed.test.ts).
import * as st from 'strata-dl';
import { checkTable, runTable } from './ops.nonfinite.run.js';

checkTable(st);
runTable(st, st.listBackends());
