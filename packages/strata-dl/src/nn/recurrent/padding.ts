// SPDX-License-Identifier: MIT
// Variable-length sequences: pad them into one batch, and masks from lengths. Strata masks rather
// than packs: the layers take `lengths` (see `SequenceOptions.lengths`), losses take a mask.
import { StrataError, fmtShape } from '../../core/errors.js';
import { arange, tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { stack } from '../../tensor/composite.js';

/**
 * Pads sequences [T_i, ...] to the longest and stacks them: [T, N, ...], or [N, T, ...] with
 * `batchFirst` (PyTorch's `pad_sequence`). Returns the batch and the lengths.
 *
 * @example
 * const { padded, lengths } = padSequence([randn([3, 2]), randn([5, 2])], { batchFirst: true }); // [2,5,2], [3,5]
 */
export function padSequence(seqs: readonly Tensor[], opts: { batchFirst?: boolean; paddingValue?: number } = {}): { padded: Tensor; lengths: number[] } {
  if (seqs.length === 0) throw new StrataError('padSequence', 'expects at least one sequence');
  const rest = seqs[0].shape.slice(1).join();
  for (const s of seqs) {
    if (s.ndim === 0 || s.shape.slice(1).join() !== rest) throw new StrataError('padSequence', `sequences must share their trailing shape, got ${seqs.map((u) => fmtShape(u.shape)).join(', ')}`);
  }
  const lengths = seqs.map((s) => s.shape[0]);
  const longest = Math.max(...lengths);
  // pad() lists (before, after) pairs from the last dimension back, so dimension 0's pair comes last.
  const padded = seqs.map((s) => (s.shape[0] === longest ? s : s.pad([...new Array<number>(2 * (s.ndim - 1)).fill(0), 0, longest - s.shape[0]], opts.paddingValue ?? 0)));
  return { padded: stack(padded, opts.batchFirst ? 0 : 1), lengths };
}

/**
 * A bool mask [N, T] (or [T, N] with `timeFirst`) that is true at the valid steps of each sequence.
 *
 * @example sequenceMask([2, 3], 4).toArray(); // [[true, true, false, false], [true, true, true, false]]
 */
export function sequenceMask(lengths: readonly number[] | Tensor, maxLength?: number, opts: { timeFirst?: boolean; backend?: string } = {}): Tensor {
  const lens = lengths instanceof Tensor ? lengths.to('int32') : tensor([...lengths], { dtype: 'int32', backend: opts.backend });
  if (lens.ndim !== 1) throw new StrataError('sequenceMask', `lengths must be 1-D, got ${fmtShape(lens.shape)}`);
  const t = maxLength ?? Math.max(0, ...Array.from(lens.dataSync()));
  const steps = arange(t, undefined, 1, { backend: lens.backend.name });
  return opts.timeFirst ? steps.unsqueeze(1).lt(lens.unsqueeze(0)) : steps.unsqueeze(0).lt(lens.unsqueeze(1));
}
