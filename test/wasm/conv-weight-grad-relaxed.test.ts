// SPDX-License-Identifier: MIT
// The conv rule's fused weight gradient on the relaxed-SIMD (FMA) build, which reads the image in
// place: conv-weight-grad-suite.ts.
import { convWeightGradSuite } from './conv-weight-grad-suite.js';
import { onRelaxedBuild } from './on-build.js';

onRelaxedBuild(convWeightGradSuite);
