// SPDX-License-Identifier: MIT
/**
 * Training off the page's main thread: a Web Worker imports the library and serves functions with
 * `expose`; the page calls them with `connect(worker).call(name, arg, onProgress)`. See
 * docs/browser.md.
 *
 * @example
 * // train.worker.ts
 * const handlers = { train: (epochs: number, progress: (epoch: number) => void) => { ... return { loss }; } };
 * export type Handlers = typeof handlers;
 * worker.expose(handlers);
 * // main.ts (the page)
 * const w = worker.connect<Handlers>(new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' }));
 * const { loss } = await w.call('train', 10, (epoch) => console.log(`epoch ${epoch}`));
 *
 * @packageDocumentation
 */
export { expose } from './expose.js';
export { connect } from './connect.js';
export type { WorkerClient } from './connect.js';
export type { WorkerHandler, WorkerHandlers, ArgOf, ProgressOf, ResultOf, MessageEndpoint, WorkerEndpoint } from './protocol.js';
