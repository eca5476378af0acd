// SPDX-License-Identifier: MIT
// The LSTM sequence kernels on the default wasm build (the suite: fused-sequence-suite.ts).
import { composedSuite, sequenceSuite } from './fused-sequence-suite.js';

sequenceSuite('default');
composedSuite();
