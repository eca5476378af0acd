// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import {
  type ArgOf, type ErrorMessage, type ProgressMessage, type ProgressOf, type ResultMessage, type ResultOf,
  type WorkerEndpoint, type WorkerHandlers, isMessage,
} from './protocol.js';

/** The page's handle on a worker that called `worker.expose` (see `worker.connect`). */
export interface WorkerClient<H extends WorkerHandlers> {
  /**
   * Runs handler `method` in the worker on `arg`; `onProgress` receives each value the handler
   * reports. Resolves to the handler's result; rejects with a `StrataError` carrying the worker's
   * error message if the handler throws, the worker's script fails, or `terminate()` is called.
   */
  call<K extends keyof H & string>(method: K, arg: ArgOf<H[K]>, onProgress?: (value: ProgressOf<H[K]>) => void): Promise<ResultOf<H[K]>>;
  /** Resolves once the worker has installed its handlers. */
  readonly ready: Promise<void>;
  /** Stops the worker (where the endpoint can) and rejects the calls still running. */
  terminate(): void;
}

interface Pending { method: string; resolve(v: unknown): void; reject(e: Error): void; progress?: (v: never) => void }

/**
 * Connects the page to a worker that serves handlers with `worker.expose`. Type it with the
 * handlers' type (`typeof handlers`, exported from the worker's module as a type only), so that
 * each `call` checks its argument and types its progress and result.
 *
 * @example
 * // main.ts (the page):
 * //   const w = st.worker.connect<Handlers>(new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' }));
 * // a MessageChannel stands in for the worker here:
 * const { port1, port2 } = new MessageChannel();
 * st.worker.expose({ square: (x: number) => x * x }, port1);
 * const w = st.worker.connect<{ square: (x: number) => number }>(port2);
 * console.log(await w.call('square', 7)); // 49
 * port1.close(); port2.close();
 */
export function connect<H extends WorkerHandlers>(worker: WorkerEndpoint): WorkerClient<H> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: string | null = null;
  let markReady!: () => void;
  let markFailed!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => { markReady = resolve; markFailed = reject; });
  ready.catch(() => {}); // a failure is reported to each call too; do not leave this one unhandled

  const failAll = (message: string): void => {
    failure ??= message;
    markFailed(new StrataError('worker.connect', failure));
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new StrataError('worker.connect', `call '${p.method}' failed: ${failure}`));
    }
  };

  worker.addEventListener('message', (event) => {
    const msg = event.data;
    if (isMessage(msg, 'ready')) return markReady();
    if (isMessage<ProgressMessage>(msg, 'progress')) return pending.get(msg.id)?.progress?.(msg.value as never);
    if (isMessage<ResultMessage>(msg, 'result')) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      return p?.resolve(msg.value);
    }
    if (isMessage<ErrorMessage>(msg, 'error')) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      const e = new StrataError('worker.connect', `call '${p?.method ?? msg.id}' threw in the worker: ${msg.name}: ${msg.message}`);
      if (msg.stack) e.stack = `${e.stack}\nin the worker: ${msg.stack}`;
      return p?.reject(e);
    }
  });
  // an error in the worker's script (failed import, uncaught exception): nothing will answer
  worker.addEventListener('error', (event) => failAll(`the worker failed: ${event.message || 'an error event (check the worker URL and its console)'}`));
  worker.start?.();

  return {
    ready,
    call(method, arg, onProgress) {
      if (failure) return Promise.reject(new StrataError('worker.connect', `call '${method}' failed: ${failure}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, progress: onProgress });
        // messages sent before the worker's module has run are queued by the browser
        worker.postMessage({ strata: 'call', id, method, arg });
      });
    },
    terminate() {
      worker.terminate?.();
      failAll('the worker was terminated');
    },
  };
}
