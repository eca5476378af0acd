// SPDX-License-Identifier: MIT
import type * as st from 'strata-dl';

/** Per-epoch time and throughput (counting the samples actually seen), for metrics.json. */
export class EpochTimer implements st.train.Callback {
  readonly records: { seconds: number; samplesPerSecond: number }[] = [];
  private t0 = 0;
  private seen = 0;
  onEpochBegin(): void { this.t0 = performance.now(); this.seen = 0; }
  onBatchEnd(_b: number, logs: st.train.Logs): void { this.seen += logs.size ?? 0; }
  onEpochEnd(): void {
    const seconds = (performance.now() - this.t0) / 1000;
    this.records.push({ seconds, samplesPerSecond: this.seen / seconds });
  }
}
