// SPDX-License-Identifier: MIT
/**
 * Training off the page's main thread: a Web Worker imports the library and serves functions with
 * `expose`; the page calls them with `connect(worker).call(name, arg, onProgress)`. See
 * docs/browser.md.
 */
export { expose } from './expose.js';
export { connect } from './connect.js';
export type { WorkerClient } from './connect.js';
export type { WorkerHandler, WorkerHandlers, ArgOf, ProgressOf, ResultOf, MessageEndpoint, WorkerEndpoint } from './protocol.js';
