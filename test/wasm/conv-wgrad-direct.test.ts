// SPDX-License-Identifier: MIT
// The direct weight-gradient kernel on the plain SIMD build (the default on Node 20): conv-wgrad-direct-suite.ts.
import { directWgradSuite } from './conv-wgrad-direct-suite.js';

directWgradSuite('simd');
