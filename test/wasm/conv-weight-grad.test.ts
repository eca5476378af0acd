// SPDX-License-Identifier: MIT
// The conv rule's fused weight gradient on the plain SIMD build (the default on Node 20): conv-weight-grad-suite.ts.
import { convWeightGradSuite } from './conv-weight-grad-suite.js';

convWeightGradSuite('simd');
