// SPDX-License-Identifier: MIT
/**
 * The public ops an anomaly happened in (`crossEntropy › logSoftmax › logsumexp`), read from the
 * JavaScript call stack, as PyTorch's anomaly mode keeps each op's forward traceback. Composite ops
 * are plain functions, so their names are in the stack at no cost to the ops themselves; a stack is
 * captured only under detection (for each recorded op, for its backward's message) or when an error
 * is being written. Where names are lost (a minifying bundler), the chain is just shorter.
 */

/** The library's root folder (src/ or dist/), as a URL and as a path, for telling its frames from the caller's. */
const [ROOT_URL, ROOT_PATH] = roots();

function roots(): [string, string] {
  try {
    const root = new URL('..', import.meta.url);
    return [root.href, decodeURIComponent(root.pathname)];
  } catch {
    return ['\0', '\0']; // a URL with no folders (blob:): no frame is the library's, the chain is empty
  }
}

/** A stack captured now, deep enough to reach past the library's own frames. */
export function captureStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const e = new Error('anomaly');
  Error.stackTraceLimit = limit;
  return e;
}

/**
 * The library functions on `e`'s stack, outermost first, from where the caller's code (or fit's
 * loop) called in to the op: internal plumbing (autograd, `_apply`, the primitive layer, `Module.call`, Sequential's loop,
 * arrows) left out.
 */
export function opChain(e: Error): string[] {
  const names: string[] = [];
  for (const line of (e.stack ?? '').split('\n').slice(1)) {
    const m = /^\s*at (?:new )?(\S+) \((.+?):\d+:\d+\)$/.exec(line);
    if (!m) continue;
    const [, name, file] = m;
    const rel = file.startsWith(ROOT_URL) ? file.slice(ROOT_URL.length) : file.startsWith(ROOT_PATH) ? file.slice(ROOT_PATH.length) : null;
    if (rel === null || rel.startsWith('train/')) break; // the caller's code, or the training loop
    if (rel.startsWith('autograd/') || rel === 'nn/container.ts' || rel === 'tensor/prims.ts' || name.includes('<anonymous>') || /(^|\.)_/.test(name)) continue;
    if (rel === 'nn/module.ts' && /\.call$/.test(name)) continue; // Module.call runs hooks around forward
    const short = name.replace(/^(Function|Module|Object)\./, '');
    // a method and the function it forwards to (Tensor.softmax, softmax) count once, as the method
    const prev = names[names.length - 1];
    if (prev !== undefined && prev.replace(/^Tensor\./, '') === short.replace(/^Tensor\./, '')) {
      names[names.length - 1] = short.startsWith('Tensor.') ? short : prev;
      continue;
    }
    names.push(short);
  }
  return names.reverse();
}
