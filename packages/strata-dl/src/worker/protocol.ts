// SPDX-License-Identifier: MIT
/**
 * The messages between a page and a worker that runs Strata (`worker.expose` / `worker.connect`).
 * Every message carries `strata`, so other messages on the same worker are left alone.
 */

/**
 * A handler the worker exposes: takes one structured-cloneable argument and a progress callback,
 * returns (or resolves to) a structured-cloneable result.
 */
export type WorkerHandler<A = never, P = never, R = unknown> = (arg: A, progress: (value: P) => void) => R | Promise<R>;

/** The handlers a worker exposes, by name. (`never` parameters: any handler's types fit.) */
export type WorkerHandlers = Record<string, (arg: never, progress: never) => unknown>;

/** The argument type of a handler. */
export type ArgOf<H> = H extends (arg: infer A, ...rest: never[]) => unknown ? A : never;
/** The type a handler reports progress with. */
export type ProgressOf<H> = H extends (arg: never, progress: (value: infer P) => void) => unknown ? P : never;
/** The type a handler's result resolves to. */
export type ResultOf<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;

/** Page → worker: run `method` on `arg`. */
export interface CallMessage { strata: 'call'; id: number; method: string; arg: unknown }
/** Worker → page: handlers are installed (sent once, first). */
export interface ReadyMessage { strata: 'ready' }
/** Worker → page: a progress report of call `id`. */
export interface ProgressMessage { strata: 'progress'; id: number; value: unknown }
/** Worker → page: call `id` returned `value`. */
export interface ResultMessage { strata: 'result'; id: number; value: unknown }
/** Worker → page: call `id` threw. */
export interface ErrorMessage { strata: 'error'; id: number; name: string; message: string; stack?: string }

export type WorkerReply = ReadyMessage | ProgressMessage | ResultMessage | ErrorMessage;

/**
 * What both ends need of a message channel: a `Worker` on the page, the worker's global scope
 * (`self`) inside it, or a `MessagePort`.
 */
export interface MessageEndpoint {
  /** Sends a message (structured clone) to the other end. */
  postMessage(message: unknown): void;
  /** Receives the other end's messages. */
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** MessagePort only: starts delivery to listeners added with addEventListener. */
  start?(): void;
}

/** The page's side: a `Worker` (errors in its script arrive as `error` events). */
export interface WorkerEndpoint extends MessageEndpoint {
  /** Receives the worker's messages. */
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** Learns that the worker's script failed (a failed import, an uncaught exception). */
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  /** Stops the worker (a `Worker` has it; a `MessagePort` does not). */
  terminate?(): void;
}

export function isMessage<T extends { strata: string }>(data: unknown, kind: T['strata']): data is T {
  return typeof data === 'object' && data !== null && (data as { strata?: unknown }).strata === kind;
}
