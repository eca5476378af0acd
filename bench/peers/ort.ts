// SPDX-License-Identifier: MIT
// W3 inference on ONNX Runtime (onnxruntime-node, its CPU execution provider): Strata's W3 model
// (models.cnn) exported with io.exportOnnx, run at batch 256 with `threads` intra-op threads.
// ONNX Runtime is an inference engine: the training workloads and W5 are not measured on it.
import { uniform, type Runner, type WorkloadId } from './common.js';

export async function setupOrt(workload: WorkloadId, threads: number): Promise<{ runner: Runner; backend: string; threads: number; note?: string }> {
  if (workload !== 'W3i') throw new Error('ONNX Runtime runs inference only: W3i');
  const ort = await import('onnxruntime-node');
  const st = await import('../../packages/strata-dl/src/index.js');
  const model = st.models.cnn();
  model.eval();
  const bytes = st.io.exportOnnx(model, { inputShape: [1, 28, 28] });
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  });
  const input = new ort.Tensor('float32', uniform(256 * 784), [256, 1, 28, 28]);
  return {
    runner: {
      async step() {
        await session.run({ input });
        return 256;
      },
      dispose() { void session.release(); },
    },
    backend: `cpu EP ${ort.env.versions.node ?? ''}`.trim(),
    threads,
    note: 'model exported by exportOnnx (opset 13)',
  };
}
