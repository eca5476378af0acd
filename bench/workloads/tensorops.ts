// SPDX-License-Identifier: MIT
// Micro-benchmarks of the issue-21 primitives with wasm kernels: cumsum and cumprod (scanF32) along
// the contiguous and the strided axis, and argsort (argsortF32) of rows. Unit: million input elements/s.
import type * as Strata from '../../packages/strata-dl/src/index.js';
import type { Workload } from '../workloads.js';

const micro = (id: string, what: string, shape: number[], op: (x: Strata.Tensor) => Strata.Tensor): Workload => ({
  id,
  what,
  unit: 'Melem/s',
  setup(st, backend) {
    const x = st.randn(shape, { backend, generator: new st.Generator(21) });
    return {
      step() {
        op(x).dispose();
        return x.size / 1e6;
      },
      dispose() { x.dispose(); },
    };
  },
});

export const TENSOROPS_MICRO: readonly Workload[] = [
  micro('cumsum-rows', 'cumsum of a 1024x1024 float32 along dim 1 (contiguous rows)', [1024, 1024], (x) => x.cumsum(1)),
  micro('cumsum-cols', 'cumsum of a 1024x1024 float32 along dim 0 (strided)', [1024, 1024], (x) => x.cumsum(0)),
  micro('cumprod-rows', 'cumprod of a 1024x1024 float32 along dim 1', [1024, 1024], (x) => x.cumprod(1)),
  micro('argsort-rows', 'argsort of a 1024x1024 float32 along dim 1', [1024, 1024], (x) => x.argsort(1)),
];
