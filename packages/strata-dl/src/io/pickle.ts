// SPDX-License-Identifier: MIT
/**
 * A restricted reader of Python pickles (protocols 2 to 5). A pickle is a program for a small stack
 * machine whose `GLOBAL` opcode imports any Python callable and whose `REDUCE` calls it, which is why
 * `pickle.load` on an untrusted file runs arbitrary code. This reader never runs anything: every
 * `GLOBAL` is looked up in a table that the caller supplies (`hooks.global`), which returns a plain
 * TypeScript function for the few names it accepts and throws for every other name, at the moment the
 * opcode is read, before any call. Values are JavaScript values: numbers (or `bigint` past 2^53),
 * strings, `Uint8Array`, arrays (lists and tuples alike), `PickleDict`, and whatever the hooks build.
 */
import { StrataError } from '../core/errors.js';

/** A Python dict (or `OrderedDict`): insertion-ordered, with the state that `BUILD` gave it. */
export class PickleDict {
  readonly map = new Map<unknown, unknown>();
  /** Attributes set by `BUILD` (an OrderedDict's `_metadata`); kept, never interpreted. */
  state: unknown = undefined;
}

/** A callable the caller allows: `REDUCE` and `NEWOBJ` call it with the argument tuple. */
export interface PickleCallable {
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
}

export interface UnpickleHooks {
  /** Resolves `GLOBAL module name`; throws for anything not allowed. */
  global(module: string, name: string): PickleCallable;
  /** Resolves a persistent id (`BINPERSID`): PyTorch's reference to a tensor storage. */
  persistentLoad(pid: unknown): unknown;
}

const MARK = Symbol('mark');

/** Runs the pickle in `bytes` with `hooks` and returns the value it leaves. `op`/`file` name errors. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks, op: string, file: string): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decoder = {
    decode: (b: Uint8Array): string => {
      try {
        return utf8.decode(b);
      } catch {
        return fail(`pickle holds a string that is not valid UTF-8 near byte ${pos}`);
      }
    },
  };
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const fail = (msg: string): never => { throw new StrataError(op, `${file}: ${msg}`); };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail(`pickle ends early (wanted ${n} bytes at byte ${pos})`);
    const at = pos;
    pos += n;
    return at;
  };
  const take = (n: number): Uint8Array => { const at = need(n); return bytes.subarray(at, at + n); };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('pickle ends inside a GLOBAL name');
    const s = decoder.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail(`pickle pops an empty stack at byte ${pos}`);
    const v = stack.pop();
    if (v === MARK) fail(`pickle pops a MARK at byte ${pos}`);
    return v;
  };
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail(`pickle has no MARK to pop at byte ${pos}`);
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = (): unknown => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail(`pickle reads an empty stack at byte ${pos}`);
    return stack[stack.length - 1];
  };
  const dictAt = (v: unknown): PickleDict => (v instanceof PickleDict ? v : fail(`SETITEM(S) on a ${typeName(v)}, not a dict`));
  const listAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail(`APPEND(S) on a ${typeName(v)}, not a list`));
  const callableAt = (v: unknown): PickleCallable => (isCallable(v) ? v : fail(`REDUCE calls a ${typeName(v)}, not an allowed global`));
  const tupleAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail(`REDUCE with a ${typeName(v)} for its arguments, not a tuple`));
  const long = (b: Uint8Array): number | bigint => {
    // Little-endian two's complement of any width.
    let x = 0n;
    for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
    if (b.length && b[b.length - 1] & 0x80) x -= 1n << BigInt(8 * b.length);
    return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
  };
  const global = (module: string, name: string): PickleCallable => hooks.global(module, name);

  for (;;) {
    const at = pos;
    const code = u8();
    switch (code) {
      case 0x80: u8(); break; // PROTO
      case 0x95: need(8); break; // FRAME: a length hint
      case 0x2e: return pop(); // STOP '.'
      case 0x28: stack.push(MARK); break; // MARK '('
      case 0x30: pop(); break; // POP '0'
      case 0x31: popMark(); break; // POP_MARK '1'
      case 0x32: stack.push(top()); break; // DUP '2'
      case 0x4e: stack.push(null); break; // NONE 'N'
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT 'J'
      case 0x4b: stack.push(u8()); break; // BININT1 'K'
      case 0x4d: stack.push(u16()); break; // BININT2 'M'
      case 0x8a: stack.push(long(take(u8()))); break; // LONG1
      case 0x8b: stack.push(long(take(u32()))); break; // LONG4
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT 'G' (big-endian)
      case 0x58: stack.push(decoder.decode(take(u32()))); break; // BINUNICODE 'X'
      case 0x8c: stack.push(decoder.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: { const n = view.getBigUint64(need(8), true); stack.push(decoder.decode(take(Number(n)))); break; } // BINUNICODE8
      case 0x55: stack.push(new TextDecoder('latin1').decode(take(u8()))); break; // SHORT_BINSTRING 'U'
      case 0x54: stack.push(new TextDecoder('latin1').decode(take(u32()))); break; // BINSTRING 'T'
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES 'C'
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES 'B'
      case 0x29: stack.push([]); break; // EMPTY_TUPLE ')'
      case 0x5d: stack.push([]); break; // EMPTY_LIST ']'
      case 0x7d: stack.push(new PickleDict()); break; // EMPTY_DICT '}'
      case 0x74: stack.push(popMark()); break; // TUPLE 't'
      case 0x6c: stack.push(popMark()); break; // LIST 'l'
      case 0x85: { const a = pop(); stack.push([a]); break; } // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x61: { const v = pop(); listAt(top()).push(v); break; } // APPEND 'a'
      case 0x65: { const items = popMark(); listAt(top()).push(...items); break; } // APPENDS 'e'
      case 0x73: { const v = pop(); const k = pop(); dictAt(top()).map.set(k, v); break; } // SETITEM 's'
      case 0x75: { // SETITEMS 'u'
        const items = popMark();
        const d = dictAt(top());
        for (let i = 0; i + 1 < items.length; i += 2) d.map.set(items[i], items[i + 1]);
        break;
      }
      case 0x64: { // DICT 'd'
        const items = popMark();
        const d = new PickleDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.map.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x71: memo.set(u8(), top()); break; // BINPUT 'q'
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT 'r'
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET 'h', LONG_BINGET 'j'
        const k = code === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`pickle reads memo slot ${k}, which was never written`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(global(module, name)); break; } // GLOBAL 'c'
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL with a non-string name');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x51: stack.push(hooks.persistentLoad(pop())); break; // BINPERSID 'Q'
      case 0x52: { const args = tupleAt(pop()); const f = callableAt(pop()); stack.push(f.call(args)); break; } // REDUCE 'R'
      case 0x81: { const args = tupleAt(pop()); const f = callableAt(pop()); stack.push(f.call(args)); break; } // NEWOBJ
      case 0x62: { // BUILD 'b': set the state of the object below
        const state = pop();
        const obj = top();
        if (obj instanceof PickleDict) obj.state = state;
        else fail(`BUILD on a ${typeName(obj)}; only dicts take state in a state dict`);
        break;
      }
      default:
        fail(`pickle opcode 0x${code.toString(16).padStart(2, '0')} at byte ${at} is not supported (a state dict does not use it)`);
    }
  }
}

function isCallable(v: unknown): v is PickleCallable {
  return typeof v === 'object' && v !== null && typeof (v as Partial<PickleCallable>).call === 'function' && typeof (v as Partial<PickleCallable>).qualifiedName === 'string';
}

function typeName(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'tuple/list';
  if (v instanceof PickleDict) return 'dict';
  if (isCallable(v)) return `global ${v.qualifiedName}`;
  return typeof v;
}
