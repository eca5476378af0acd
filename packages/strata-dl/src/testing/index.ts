// SPDX-License-Identifier: MIT
/**
 * Testing helpers (`strata-dl/testing`): gradient checks against finite differences in float64.
 *
 * @example
 * import { gradcheck } from 'strata-dl/testing';
 * gradcheck((x) => x.mul(x).sum(), [randn([3], { dtype: 'float64', requiresGrad: true })]);
 *
 * @packageDocumentation
 */
export { gradcheck, gradgradcheck, jvpcheck, toFloat64 } from './gradcheck.js';
export type { GradcheckOptions, GradcheckReport } from './gradcheck.js';
