// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { type CallMessage, type ErrorMessage, type MessageEndpoint, type WorkerHandlers, isMessage } from './protocol.js';

/**
 * Serves `handlers` to the page, from inside a Web Worker: each call the page makes with
 * `worker.connect(...).call(name, arg, onProgress)` runs `handlers[name](arg, progress)` here, so
 * training runs off the page's main thread. Progress values and the result travel by structured
 * clone (plain objects, numbers, typed arrays). Calls run one after another, in the order sent
 * (they share the worker's single thread and its tensors). Posts a `ready` message once installed.
 *
 * @param handlers the functions the page may call, by name
 * @param scope where messages arrive: the worker's global scope (default), or a `MessagePort`
 *
 * @example
 * // train.worker.ts, bundled with the library
 * import * as st from 'strata-dl';
 * const { port1, port2 } = new MessageChannel(); // a worker passes nothing: its global scope
 * st.worker.expose({
 *   square: (x: number, progress: (step: string) => void) => { progress('squaring'); return x * x; },
 * }, port1);
 * port1.close(); port2.close();
 */
export function expose(handlers: WorkerHandlers, scope?: MessageEndpoint): void {
  const target = scope ?? (globalThis as unknown as MessageEndpoint);
  if (typeof target?.postMessage !== 'function' || typeof target.addEventListener !== 'function') {
    throw new StrataError('worker.expose', 'needs a message endpoint: call it inside a Web Worker, or pass a MessagePort as scope');
  }
  // one call at a time, in order: handlers share the worker's thread and its tensors
  let queue: Promise<void> = Promise.resolve();
  target.addEventListener('message', (event) => {
    const msg = event.data;
    if (!isMessage<CallMessage>(msg, 'call')) return;
    queue = queue.then(() => run(msg));
  });
  target.start?.();
  target.postMessage({ strata: 'ready' });

  async function run({ id, method, arg }: CallMessage): Promise<void> {
    try {
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (typeof handler !== 'function') {
        throw new StrataError('worker.expose', `no handler '${method}'; the worker exposes ${Object.keys(handlers).map((k) => `'${k}'`).join(', ') || 'none'}`);
      }
      const progress = (value: unknown): void => target.postMessage({ strata: 'progress', id, value });
      const value = await (handler as (a: unknown, p: (v: unknown) => void) => unknown)(arg, progress);
      target.postMessage({ strata: 'result', id, value });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const reply: ErrorMessage = { strata: 'error', id, name: err.name, message: err.message };
      if (err.stack) reply.stack = err.stack;
      target.postMessage(reply);
    }
  }
}
