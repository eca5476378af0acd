// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Metric } from './types.js';

/** Shape checks shared by the classification metrics; returns class-index targets [N]. */
function indexTarget(op: string, pred: Tensor, target: Tensor): Tensor {
  if (pred.ndim !== 2) throw new StrataError(op, `predictions must be [N, classes], got ${fmtShape(pred.shape)}`);
  if (target.dtype === 'int32' && target.ndim === 1 && target.shape[0] === pred.shape[0]) return target;
  if (target.shape.join() === pred.shape.join()) return target.argmax(1);
  throw new StrataError(op, `target ${fmtShape(target.shape)} must be int32 class indices [${pred.shape[0]}] or one-hot ${fmtShape(pred.shape)}`);
}

/**
 * Fraction of correct predictions. Multi-class scores [N, C] are compared by argmax with class indices
 * or one-hot targets; a single output ([N] or [N, 1]) is a binary probability cut at `threshold`.
 *
 * @example accuracy().compute(tensor([[0.1, 0.9]]), tensor([1], { dtype: 'int32' })); // 1
 */
export function accuracy(opts: { threshold?: number } = {}): Metric {
  const { threshold = 0.5 } = opts;
  return {
    name: 'accuracy',
    compute(pred, target) {
      if (pred.ndim === 1 || (pred.ndim === 2 && pred.shape[1] === 1)) {
        const p = pred.reshape([-1]).gt(threshold);
        return p.eq(target.reshape([-1]).gt(threshold)).to('float32').mean().item();
      }
      const t = indexTarget('accuracy', pred, target);
      return pred.argmax(1).eq(t).to('float32').mean().item();
    },
  };
}

/**
 * Fraction of samples whose true class is among the k highest scores. Computed without sorting: the
 * true class is in the top k when fewer than k classes score strictly higher.
 */
export function topKAccuracy(k: number): Metric {
  if (!(Number.isInteger(k) && k > 0)) throw new StrataError('topKAccuracy', `k must be a positive integer, got ${k}`);
  return {
    name: `top${k}Accuracy`,
    compute(pred, target) {
      const t = indexTarget('topKAccuracy', pred, target);
      const trueScore = pred.gather(1, t.unsqueeze(1));
      const higher = pred.gt(trueScore).to('int32').sum(1);
      return higher.lt(k).to('float32').mean().item();
    },
  };
}

/** A metric given by name: 'accuracy' or 'top5' (any k). */
export type MetricLike = Metric | 'accuracy' | `top${number}`;

export function resolveMetric(m: MetricLike): Metric {
  if (typeof m !== 'string') return m;
  if (m === 'accuracy') return accuracy();
  const k = Number(m.slice(3));
  if (m.startsWith('top') && Number.isInteger(k)) return topKAccuracy(k);
  throw new StrataError('fit', `unknown metric '${m}'; use 'accuracy', 'topK' (e.g. 'top5') or a Metric object`);
}

/** Sample-weighted running means of logged values over an epoch. */
export class Averager {
  private sums = new Map<string, number>();
  private count = 0;
  add(logs: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(logs)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * n);
    this.count += n;
  }
  mean(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.sums) out[k] = v / this.count;
    return out;
  }
}
