// SPDX-License-Identifier: MIT
// The ordered, removable hook lists that modules (forward hooks) and tensors (gradient hooks) keep.

/** What registering a hook returns: `remove()` unregisters it (a second call does nothing). */
export interface HookHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/** An ordered set of hooks of one kind. */
export class HookList<H> {
  private readonly hooks = new Map<number, H>();
  private next = 0;

  /** Adds `hook` after the others and returns its handle. */
  add(hook: H): HookHandle {
    const id = this.next++;
    this.hooks.set(id, hook);
    return { remove: () => { this.hooks.delete(id); } };
  }

  get size(): number { return this.hooks.size; }

  /** The hooks in registration order (a copy: a hook may remove itself while they run). */
  list(): H[] { return [...this.hooks.values()]; }
}
