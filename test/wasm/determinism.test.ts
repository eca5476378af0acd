// SPDX-License-Identifier: MIT
// Same seed, same bits on any thread count: the default build (determinism-suite.ts).
import * as st from 'strata-dl';
import { determinismTests } from './determinism-suite.js';

determinismTests(st.getBackend('wasm') as st.WasmBackend);
