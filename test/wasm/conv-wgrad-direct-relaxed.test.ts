// SPDX-License-Identifier: MIT
// The direct weight-gradient kernel on the relaxed-SIMD (FMA) build: conv-wgrad-direct-suite.ts.
import { directWgradSuite } from './conv-wgrad-direct-suite.js';
import { onRelaxedBuild } from './on-build.js';

onRelaxedBuild(directWgradSuite);
