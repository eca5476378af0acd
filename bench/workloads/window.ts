// SPDX-License-Identifier: MIT
// Micro-benchmarks of the window kernels that are not GEMMs, at the shapes LeNet-5 (W2, batch 64)
// and the Keras CNN (W3, batch 128) run them: max pooling's values (forward), its positions and
// the scatter (backward, through autograd), unfold and fold. Unit: million output elements/s (the
// output's allocation included, as in training).
import type * as Strata from '../../packages/strata-dl/src/index.js';
import type { Workload } from '../workloads.js';

type Attrs = { kernel: [number, number]; stride: [number, number]; padding: [number, number, number, number]; dilation: [number, number] };
const win = (k: number, pad: number): Attrs => ({ kernel: [k, k], stride: [1, 1], padding: [pad, pad, pad, pad], dilation: [1, 1] });

const micro = (id: string, what: string, shape: number[], op: (st: typeof Strata, x: Strata.Tensor) => Strata.Tensor, grad = false): Workload => ({
  id,
  what,
  unit: 'Melem/s',
  setup(st, backend) {
    const x = st.randn(shape, { backend, generator: new st.Generator(22), requiresGrad: grad });
    return {
      step() {
        let n = 0;
        st.scoped(() => {
          const y = op(st, x);
          n = y.size;
          if (grad) { x.grad = null; y.sum().backward(); }
        });
        return n / 1e6;
      },
      dispose() { x.dispose(); },
    };
  },
});

const pool = (st: typeof Strata, x: Strata.Tensor): Strata.Tensor => st.nn.functional.maxPool2d(x, 2);

export const WINDOW_MICRO: readonly Workload[] = [
  micro('pool-w2', 'MaxPool2d(2) forward on [64, 6, 28, 28] (W2 conv1)', [64, 6, 28, 28], pool),
  micro('pool-w3', 'MaxPool2d(2) forward on [128, 64, 24, 24] (W3)', [128, 64, 24, 24], pool),
  micro('poolgrad-w2', 'MaxPool2d(2) forward and backward on [64, 6, 28, 28]', [64, 6, 28, 28], pool, true),
  micro('unfold-w2a', 'unfold 5x5, padding 2, of [64, 1, 28, 28] (W2 conv1)', [64, 1, 28, 28], (st, x) => st.unfold(x, win(5, 2))),
  micro('unfold-w2b', 'unfold 5x5 of [64, 6, 14, 14] (W2 conv2)', [64, 6, 14, 14], (st, x) => st.unfold(x, win(5, 0))),
  micro('fold-w2', 'fold 5x5 of [64, 150, 100] into [64, 6, 14, 14] (W2 conv2 input gradient)', [64, 150, 100], (st, x) => st.fold(x, { ...win(5, 0), outputSize: [14, 14] })),
  micro('fold-w3', 'fold 3x3 of [128, 288, 576] into [128, 32, 26, 26] (W3 conv2 input gradient)', [128, 288, 576], (st, x) => st.fold(x, { ...win(3, 0), outputSize: [26, 26] })),
];
