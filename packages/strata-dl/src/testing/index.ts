// SPDX-License-Identifier: MIT
export { gradcheck, gradgradcheck, jvpcheck, toFloat64 } from './gradcheck.js';
export type { GradcheckOptions, GradcheckReport } from './gradcheck.js';
