// SPDX-License-Identifier: MIT
/**
 * Strata: deep learning in TypeScript.
 *
 * @example
 * import * as st from 'strata-dl';
 * const x = st.tensor([1, 2, 3], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * console.log(x.grad!.toString()); // tensor([2., 4., 6.])
 *
 * @packageDocumentation
 */
import { registerBackend, setBackend } from './backend/registry.js';
import { createJsBackend } from './backends/js/index.js';
import { createWasmBackend, wasmFeatures } from './backends/wasm/index.js';

// The package entry is the one place that registers backends (explicitly, here): `js` always (the
// reference), then `wasm` (compiled on first use) as the default wherever WebAssembly SIMD exists:
// with a worker pool over shared memory where there is shared memory, else on one thread (a page
// that is not cross-origin isolated). `setBackend('js')` switches back.
const js = createJsBackend();
registerBackend(js);
if (wasmFeatures().simd) {
  registerBackend(createWasmBackend({ reference: js }));
  setBackend('wasm');
}

export type { DType, TypedArray } from './core/dtype.js';
export { StrataError } from './core/errors.js';
export { Generator, manualSeed, defaultGenerator } from './core/rng.js';
export type {
  Backend, Buf, View, Kernel, KernelPrim, Kernels, FusedKernel, FusedKernelArgs, FusedKernels,
} from './backend/backend.js';
export type { Lowered, FusedOp, FusedOpSpec } from './tensor/fused-op.js';
export type { SgdKernelArgs } from './optim/sgd.js';
export type { AdamKernelArgs } from './optim/adam.js';
export type { LstmForwardArgs, LstmBackwardArgs } from './nn/recurrent/fused-lstm.js';
export type { LstmSequenceForwardArgs, LstmSequenceBackwardArgs } from './nn/recurrent/fused-sequence.js';
export type { ConvWeightGradArgs } from './nn/functional/conv-weight-grad.js';
export type { ConvInputGradArgs } from './nn/functional/conv-input-grad.js';
export type { PoolGradArgs } from './nn/functional/pool-grad.js';
export type { ConvReluPoolArgs } from './nn/functional/conv-relu-pool.js';
export type { CrossEntropyForwardArgs, CrossEntropyBackwardArgs } from './nn/functional/fused-cross-entropy.js';
export type { GruForwardArgs, GruBackwardArgs } from './nn/recurrent/fused-gru.js';
export type { Shape } from './core/shape.js';
export { registerBackend, setBackend, getBackend, listBackends } from './backend/registry.js';
export { createJsBackend } from './backends/js/index.js';
export { createWasmBackend, wasmFeatures, setNumThreads, getNumThreads } from './backends/wasm/index.js';
export type { WasmBackend, WasmBackendOptions, WasmFeatures, WasmVariant } from './backends/wasm/index.js';
export type { Prim, PrimAttrs, WindowAttrs, Empty } from './ir/prims.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/mode.js';
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError } from './autograd/anomaly.js';
export type { AnomalyInfo, DetectAnomalyOptions } from './autograd/anomaly.js';
export type { BackwardOptions } from './autograd/engine.js';
export { Tensor } from './tensor/tensor.js';
export type { TensorLike, GradHook, CloseOptions } from './tensor/tensor.js';
export type { RoundingMode } from './tensor/arith-ops.js';
export type { IndexSpec, Nested } from './tensor/composite.js';
export { cat, stack, where } from './tensor/composite.js';
export { memory } from './tensor/storage.js';
export { scoped } from './tensor/scope.js';
export {
  tensor, zeros, ones, full, arange, linspace, eye, rand, randn, randint, zerosLike, onesLike, fullLike, isTensor, asTensor,
} from './tensor/creation.js';
export type { CreateOptions, RandomOptions, ShapeArg } from './tensor/creation.js';
export { randLike, randnLike } from './tensor/random-like.js';
export { randperm, multinomial, bernoulli } from './tensor/sampling.js';
export type { MultinomialOptions } from './tensor/sampling.js';
export { meshgrid, logspace, tensordot } from './tensor/grids.js';
export { hstack, vstack, dstack, columnStack, blockDiag, cartesianProd, triuIndices, trilIndices, rot90 } from './tensor/stacking.js';
export { cov, corrcoef, trapezoid } from './tensor/covariance.js';
export * from './tensor/functions.js';
export {
  cumsum, cumprod, prod, diff, norm, vectorNorm, sort, argsort, topk, tril, triu, outer, repeat, tile, roll,
  maskedFill, maskedSelect, nonzero, isnan, isinf, isfinite, nanToNum, nansum, nanmean, isclose, allclose, countNonzero, cummax, cummin, searchsorted, bucketize, kron, cross, cdist, clone, einsum, median, quantile, unique,
  bincount,
} from './tensor/tensorops-functions.js';
export type { UniqueResult } from './tensor/counting.js';
export type { QuantileInterpolation } from './tensor/quantiles.js';
export { ValuesIndices } from './tensor/values-indices.js';
export * as prims from './tensor/prims.js';
export { grad, valueAndGrad, vjp, jvp, hvp, customOp } from './tensor/transforms.js';
export { jacobian, hessian } from './tensor/jacobian.js';
export type { GradOptions, CustomOpSpec, Arg, TensorFn } from './tensor/transforms.js';
export { gradcheck, gradgradcheck, jvpcheck } from './testing/gradcheck.js';
export * as data from './data/index.js';
export * as models from './models/index.js';
export type { GradcheckOptions, GradcheckReport } from './testing/gradcheck.js';

// ---- Layers, optimizers, serialization and training ----
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as io from './io/index.js';
export { importOnnx, OnnxModel, SUPPORTED_ONNX_OPS, type ImportOnnxOptions } from './interop/index.js';
export * as train from './train/index.js';
export { fit, evaluate, predict } from './train/index.js';
export * as text from './text/index.js';
export * as worker from './worker/index.js';
