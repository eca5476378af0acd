// SPDX-License-Identifier: MIT
/**
 * Reclaiming the backend memory of tensors dropped without `dispose()` (on backends whose buffers
 * the garbage collector cannot see, such as wasm).
 *
 * Each such tensor is registered with a `FinalizationRegistry`, which releases its storage after
 * the GC has collected it. Registering (and unregistering on `dispose()`) costs about 2 µs a tensor
 * in V8, more than the whole of a small op, and most tensors never need it: they are made inside
 * `scoped` blocks (training steps) and disposed a few microseconds later. So a tensor is only
 * queued when it is made, and registered once enough newer tensors have been made; one disposed by
 * then is skipped. The queue holds at most `QUEUE` tensors and `QUEUE_BYTES` of their storage (the
 * most that dropped storage is kept alive a little longer); a tensor of more than `QUEUE_MAX_BYTES`
 * registers at once. Otherwise nothing changes: the registry frees what the GC collects, when the
 * engine runs its cleanup (a task of its own, so not during a synchronous loop that never yields).
 */
import type { Storage } from './storage.js';

/** What the registry holds for a registered tensor: its current storage, replaced in place by `rewatch`. */
export interface Held {
  storage: Storage;
}

/** What the queue needs of a tensor. */
export interface Reclaimable {
  /** @internal */ _storage: Storage;
  /** @internal one of QUEUED, REGISTERED, DROPPED */ _reclaim: number;
  /** @internal what the registry holds while REGISTERED */ _held: Held | null;
}

/** In the queue, not yet registered. */
const QUEUED = 0;
/** Registered with the finalization registry (its storage is released when it is collected). */
const REGISTERED = 1;
/** Disposed (its storage released) and not registered; the queue skips it. */
export const DROPPED = 2;

/** Storage of at most this many bytes waits in the queue; larger storage registers at once. */
const QUEUE_MAX_BYTES = 4 << 20;
/** Tensors the queue holds before it registers the older half (a power of two: a ring). */
const QUEUE = 256;
/** Bytes of storage the queue holds before it registers its older tensors down to half of it. */
const QUEUE_BYTES = 32 << 20;

const registry = new FinalizationRegistry<Held>((h) => h.storage.release());
/** A ring of `QUEUE` slots: `count` tensors from `head`, oldest first. */
const queue: (Reclaimable | undefined)[] = new Array<Reclaimable | undefined>(QUEUE).fill(undefined);
/** The storage bytes of each slot's tensor. */
const sizes = new Float64Array(QUEUE);
let head = 0;
let count = 0;
let queuedBytes = 0;

function register(t: Reclaimable): void {
  const held = { storage: t._storage };
  registry.register(t, held, t);
  t._held = held;
  t._reclaim = REGISTERED;
}

/**
 * Registers the oldest queued tensors that were not disposed meanwhile, down to half the queue's
 * count and bytes, and keeps the newer ones queued: those are often the current step's
 * intermediates, about to be disposed.
 */
function flush(): void {
  while (count > QUEUE >> 1 || (count > 0 && queuedBytes > QUEUE_BYTES >> 1)) {
    const t = queue[head]!;
    queue[head] = undefined;
    queuedBytes -= sizes[head];
    if (t._reclaim === QUEUED) register(t);
    head = (head + 1) & (QUEUE - 1);
    count--;
  }
}

/** A new tensor on a backend that needs `free`, holding `bytes` of storage: see the file's comment. */
export function watch(t: Reclaimable, bytes: number): void {
  if (bytes > QUEUE_MAX_BYTES) {
    register(t);
    return;
  }
  t._reclaim = QUEUED;
  const slot = (head + count) & (QUEUE - 1);
  queue[slot] = t;
  sizes[slot] = bytes;
  queuedBytes += bytes;
  if (++count === QUEUE || queuedBytes > QUEUE_BYTES) flush();
}

/** The tensor was disposed: nothing is left to reclaim. */
export function unwatch(t: Reclaimable): void {
  if (t._reclaim === REGISTERED) registry.unregister(t);
  t._held = null;
  t._reclaim = DROPPED;
}

/**
 * The tensor's storage was replaced (`set_`): what the GC releases is the new storage. A registered
 * tensor (a parameter, whose storage an optimizer step replaces every step) only swaps what its
 * registration holds: unregistering and registering again cost a few microseconds a parameter.
 */
export function rewatch(t: Reclaimable): void {
  if (t._reclaim === QUEUED) return; // registered with whatever storage it has when the queue is flushed
  if (t._reclaim === REGISTERED) t._held!.storage = t._storage;
  else register(t);
}
