// SPDX-License-Identifier: MIT
// A terminal progress bar for `fit` (Node: cli-progress writes to a TTY stream). It lives in the
// application package, which depends on cli-progress, so that the library has no dependencies.
import cliProgress from 'cli-progress';
import type { train } from 'strata-dl';

type Callback = train.Callback;
type Logs = train.Logs;
type TrainState = train.TrainState;

export interface ProgressBarOptions {
  /** Output stream (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Redraw limit in frames per second (default 10). */
  fps?: number;
}

function fmtLogs(logs: Logs): string {
  return Object.entries(logs).filter(([k]) => k !== 'size').map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
}

/**
 * One bar per epoch with running loss and metrics, samples/s and ETA; the epoch's final logs
 * (validation included) stay on screen.
 *
 * @example await fit(model, data, { ..., callbacks: [new ProgressBar()] });
 */
export class ProgressBar implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private start = 0;
  private seen = 0;
  constructor(readonly opts: ProgressBarOptions = {}) {}

  onEpochBegin(epoch: number, state: TrainState): void {
    this.bar = new cliProgress.SingleBar({
      format: `epoch ${epoch + 1}/${state.epochs} {bar} {value}/{total} | {logs} | {speed} samples/s | ETA {eta_formatted}`,
      stream: this.opts.stream ?? process.stderr,
      fps: this.opts.fps ?? 10,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 20,
      // Off a terminal (CI logs), redraw as plain lines every few seconds rather than not at all.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(state.steps ?? 0, 0, { logs: '', speed: '0' });
    this.start = Date.now();
    this.seen = 0;
  }

  onBatchEnd(batch: number, logs: Logs, state: TrainState): void {
    this.seen += logs.size ?? 0;
    if (state.steps === null) this.bar?.setTotal(batch + 1);
    const speed = this.seen / Math.max((Date.now() - this.start) / 1000, 1e-3);
    this.bar?.update(batch + 1, { logs: fmtLogs(logs), speed: speed.toFixed(0) });
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.bar?.update({ logs: fmtLogs(logs) });
    this.bar?.stop();
    this.bar = null;
  }
}
