// SPDX-License-Identifier: MIT
// PyTorch checkpoints (torch.save of a state dict) and safetensors from PyTorch: the weights load
// into Strata's twin models, whose outputs match PyTorch's recorded ones on every backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { loadPyTorchFile } from 'strata-dl/node';
import { assertClose } from '../helpers.js';
import { FIXTURES, TWINS, asTensor, fineTuneStep, fixtureBytes, recorded } from './torch-models.js';

const { io } = st;

test('loadPyTorch reads transposed views, slices with a storage offset, int64, float16 and float64 tensors (pickle protocols 2 and 4)', () => {
  for (const file of ['views.pt', 'views_p4.pt']) checkViews(io.loadPyTorch(fixtureBytes(file), { name: file }));
});

function checkViews(t: Record<string, st.Tensor>): void {
  assert.deepEqual(Object.keys(t), ['t', 's', 'i', 'h', 'd']);
  assert.deepEqual(t.t.toArray(), [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
  assert.deepEqual(t.s.toArray(), [[5, 6], [9, 10]]);
  assert.equal(t.i.dtype, 'int32');
  assert.deepEqual(t.i.toArray(), [3, -4]);
  assert.equal(t.h.dtype, 'float32');
  assert.deepEqual(t.h.toArray(), [0.5, -2]);
  assert.equal(t.d.dtype, 'float64');
  assert.deepEqual(t.d.toArray(), [1.25]);
}

for (const format of ['pt', 'safetensors'] as const) {
  test(`PyTorch weights (.${format}) in Strata's twin models give PyTorch's outputs to 1e-4 on every backend`, () => {
    const prev = st.getBackend().name;
    for (const backend of st.listBackends()) try {
      st.setBackend(backend);
      for (const [name, make] of Object.entries(TWINS)) {
        const bytes = fixtureBytes(`${name}.${format}`);
        const weights = format === 'pt' ? io.loadPyTorch(bytes, { name: `${name}.pt` }) : io.decodeSafetensors(bytes).tensors;
        const model = make();
        assert.deepEqual(model.loadStateDict(weights), { missing: [], unexpected: [], missingKeys: [], unexpectedKeys: [] }, name);
        model.eval();
        const r = recorded(name);
        const y = st.noGrad(() => model.forward(asTensor(r.input)));
        assertClose(y, asTensor(r.output, 'js'), 1e-4, 1e-4, `${backend} ${name}.${format}`);
      }
    } finally {
      st.setBackend(prev);
    }
  });
}

test('a model loaded from a PyTorch checkpoint fine-tunes: one SGD step changes every parameter', () => {
  for (const [name, make] of Object.entries(TWINS)) {
    const model = make();
    model.loadStateDict(io.loadPyTorch(fixtureBytes(`${name}.pt`)));
    assert.deepEqual(fineTuneStep(model, asTensor(recorded(name).input)), [], `${name}: parameters unchanged by the step`);
  }
});

test('loadPyTorchFile (strata/node) reads a file and names it in errors', async () => {
  const t = await loadPyTorchFile(new URL('lenet.pt', FIXTURES).pathname);
  assert.deepEqual(t['0.weight'].shape, [6, 1, 5, 5]);
  await assert.rejects(loadPyTorchFile(new URL('evil_system.pt', FIXTURES).pathname), /loadPyTorch: evil_system\.pt: refuses the pickle global 'posix\.system'/);
});

test('a malicious pickle (os.system, eval in __reduce__) is refused, naming the file and the global, and runs nothing', () => {
  assert.throws(() => io.loadPyTorch(fixtureBytes('evil_system.pt'), { name: 'evil_system.pt' }),
    (e: Error) => e instanceof st.StrataError && /^loadPyTorch: evil_system\.pt: refuses the pickle global 'posix\.system'/.test(e.message) && /could run code, so nothing was loaded/.test(e.message));
  assert.throws(() => io.loadPyTorch(fixtureBytes('evil_eval.pt'), { name: 'evil_eval.pt' }),
    /loadPyTorch: evil_eval\.pt: refuses the pickle global '(__builtin__|builtins)\.eval'/);
  // The same refusal for a hand-written protocol-2 pickle using STACK_GLOBAL instead of GLOBAL.
  const pkl = Uint8Array.from([0x80, 2, 0x8c, 2, ...new TextEncoder().encode('os'), 0x8c, 6, ...new TextEncoder().encode('system'), 0x93, 0x8c, 1, 0x78, 0x85, 0x52, 0x2e]);
  assert.throws(() => io.loadPyTorch(zipOf({ 'a/data.pkl': pkl }), { name: 'x.pt' }), /refuses the pickle global 'os\.system'/);
});

test('a hand-written checkpoint: _rebuild_tensor_v2 over a persistent storage, little- and big-endian (byteorder), a bad storage size', () => {
  const enc = new TextEncoder();
  const little = io.loadPyTorch(zipOf({ 'm/data.pkl': handPickle(3), 'm/data/0': floats([9, 1.5, -2], true) }));
  assert.deepEqual(little.w.toArray(), [1.5, -2]);
  const big = io.loadPyTorch(zipOf({ 'm/data.pkl': handPickle(3), 'm/byteorder': enc.encode('big'), 'm/data/0': floats([9, 1.5, -2], false) }));
  assert.deepEqual(big.w.toArray(), [1.5, -2]);
  assert.throws(() => io.loadPyTorch(zipOf({ 'm/data.pkl': handPickle(3), 'm/data/0': new Uint8Array(8) }), { name: 's.pt' }),
    /s\.pt: storage '0' \(torch\.FloatStorage\) has 8 bytes for 3 elements of 4/);
  assert.throws(() => io.loadPyTorch(zipOf({ 'm/data.pkl': handPickle(2), 'm/data/0': new Uint8Array(8) })), /reads element 2 of storage '0', which holds 2/);
  assert.throws(() => io.loadPyTorch(zipOf({ 'm/data.pkl': handPickle(3) })), /storage '0' is missing from the archive/);
});

test('damaged, legacy, compressed and non-state-dict files get clear errors', () => {
  const good = fixtureBytes('views.pt').slice();
  const bad = good.slice();
  bad[200] ^= 0xff; // inside the first stored entry (data.pkl)
  assert.throws(() => io.loadPyTorch(bad, { name: 'bad.pt' }), /bad\.pt: entry '.*' fails its CRC-32 check/);
  assert.throws(() => io.loadPyTorch(Uint8Array.from([0x80, 2, 0x7d, 0x2e]), { name: 'old.pt' }), /old\.pt: is a legacy \(pre-1\.6, non-zip\) PyTorch file/);
  assert.throws(() => io.loadPyTorch(new Uint8Array(10), { name: 'z.pt' }), /z\.pt: is not a PyTorch checkpoint/);
  const compressed = zipOf({ 'a/data.pkl': Uint8Array.from([0x80, 2, 0x7d, 0x2e]) }, 8);
  assert.throws(() => io.loadPyTorch(compressed, { name: 'c.pt' }), /c\.pt: entry 'a\/data\.pkl' is compressed \(method 8\)/);
  assert.throws(() => io.loadPyTorch(zipOf({ 'a/data.pkl': Uint8Array.from([0x80, 2, 0x4b, 7, 0x2e]) })), /holds a 7, not a state dict/);
  assert.throws(() => io.loadPyTorch(zipOf({ 'a/data.pkl': Uint8Array.from([0x80, 2, 0x7d, 0x49, 0x2e]) })), /pickle opcode 0x49 .* is not supported/);
  assert.throws(() => io.loadPyTorch(zipOf({ 'x/y.txt': new Uint8Array(1) })), /has no '<name>\/data\.pkl' entry/);
  // A checkpoint dict with a nested state dict and an epoch number (hand-written pickle: {'epoch': 3}).
  const epoch = io.decodePyTorch(zipOf({ 'a/data.pkl': Uint8Array.from([0x80, 2, 0x7d, 0x8c, 5, ...new TextEncoder().encode('epoch'), 0x4b, 3, 0x73, 0x2e]) }));
  assert.deepEqual(epoch, { tensors: {}, other: { epoch: 3 } });
  // A key '__proto__' in the file stays a key (no prototype is changed).
  const proto = io.decodePyTorch(zipOf({ 'a/data.pkl': Uint8Array.from([0x80, 2, 0x7d, 0x8c, 9, ...new TextEncoder().encode('__proto__'), 0x4b, 3, 0x73, 0x2e]) }));
  assert.equal(Object.getPrototypeOf(proto.other), Object.prototype);
  assert.deepEqual(Object.entries(proto.other), [['__proto__', 3]]);
});

test('loadStateDict: strict lists missing, unexpected and mis-shaped keys together and copies nothing; non-strict returns the lists', () => {
  const model = st.models.lenet5();
  const before = model.stateDict()['0.weight'].clone();
  const w = io.loadPyTorch(fixtureBytes('lenet.pt'));
  const { '11.bias': _dropped, ...partial } = w;
  const broken = { ...partial, '3.weight': st.zeros([2, 2]), extra: st.zeros([1]) };
  assert.throws(() => model.loadStateDict(broken),
    /loadStateDict: missing keys \[11\.bias\]; unexpected keys \[extra\]; '3\.weight' has shape \[2,2\] in the state dict, but the module expects \[16,6,5,5\]/);
  assertClose(model.stateDict()['0.weight'], before, 0, 0, 'nothing copied by a failed load');
  assert.throws(() => model.loadStateDict(broken, { strict: false }), /'3\.weight' has shape \[2,2\]/);
  const r = model.loadStateDict({ ...partial, extra: st.zeros([1]) }, { strict: false });
  assert.deepEqual([r.missingKeys, r.unexpectedKeys], [['11.bias'], ['extra']]);
  assertClose(model.stateDict()['0.weight'], w['0.weight'], 0, 0, 'non-strict load copied the matching keys');
});

/** CRC-32 written out bit by bit (the reader's is table-driven), as an independent reference. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of stored entries (or entries marked with another `method`, to test the refusal). */
function zipOf(files: Record<string, Uint8Array>, method = 0): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = enc.encode(name);
    const crc = crc32(data);
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(8, method, true); lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true); lv.setUint32(22, data.length, true); lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const c = new Uint8Array(46 + n.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(10, method, true); cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true); cv.setUint32(24, data.length, true); cv.setUint16(28, n.length, true); cv.setUint32(42, offset, true);
    c.set(n, 46);
    parts.push(local, data);
    central.push(c);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, central.length, true); ev.setUint16(10, central.length, true);
  ev.setUint32(12, cdSize, true); ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of all) { out.set(p, at); at += p.length; }
  return out;
}

test('corrupted files (random bytes overwritten, truncated) load or fail with a StrataError, never another exception', () => {
  const g = new st.Generator(1);
  const cases: [string, (b: Uint8Array) => unknown][] = [['views.pt', (b) => io.loadPyTorch(b)], ['lenet.pt', (b) => io.loadPyTorch(b)], ['misc.onnx', (b) => st.importOnnx(b)], ['lstm.onnx', (b) => st.importOnnx(b)]];
  const other: string[] = [];
  let refused = 0;
  for (const [file, load] of cases) {
    const orig = fixtureBytes(file);
    for (let trial = 0; trial < 300; trial++) {
      const b = orig.slice();
      for (let j = 0; j <= g.int(0, 3); j++) b[g.int(0, b.length)] = g.int(0, 256);
      try {
        load(trial % 5 === 0 ? b.subarray(0, g.int(0, b.length)) : b);
      } catch (e) {
        if (e instanceof st.StrataError) refused++;
        else other.push(`${file}: ${String(e)}`);
      }
    }
  }
  // The pickle itself, re-zipped with a valid CRC, so the unpickler (not the CRC check) meets the damage.
  const pkl = handPickle(3);
  for (let trial = 0; trial < 500; trial++) {
    const b = pkl.slice();
    for (let j = 0; j <= g.int(0, 3); j++) b[g.int(0, b.length)] = g.int(0, 256);
    try {
      io.loadPyTorch(zipOf({ 'm/data.pkl': trial % 5 === 0 ? b.subarray(0, g.int(0, b.length)) : b, 'm/data/0': floats([1, 2, 3], true) }));
    } catch (e) {
      if (e instanceof st.StrataError) refused++;
      else other.push(`pickle: ${String(e)}`);
    }
  }
  assert.deepEqual(other, []);
  assert.ok(refused > 600, `${refused} corrupted files refused`);
});

/** A protocol-2 pickle of { w: tensor over storage '0' (FloatStorage of `numel`), offset 1, size (2,), stride (1,) }. */
function handPickle(numel: number): Uint8Array {
  const enc = new TextEncoder();
  const u = (s: string): number[] => [0x8c, s.length, ...enc.encode(s)]; // SHORT_BINUNICODE
  const g = (m: string, n: string): number[] => [0x63, ...enc.encode(`${m}\n${n}\n`)]; // GLOBAL
  return Uint8Array.from([
    0x80, 2, 0x7d, ...u('w'), ...g('torch._utils', '_rebuild_tensor_v2'), 0x28,
    0x28, ...u('storage'), ...g('torch', 'FloatStorage'), ...u('0'), ...u('cpu'), 0x4b, numel, 0x74, 0x51, // BINPERSID
    0x4b, 1, 0x4b, 2, 0x85, 0x4b, 1, 0x85, 0x89, ...g('collections', 'OrderedDict'), 0x29, 0x52, // offset 1, size (2,), stride (1,), False, OrderedDict()
    0x74, 0x52, 0x73, 0x2e, // TUPLE, REDUCE, SETITEM, STOP
  ]);
}

function floats(values: number[], little: boolean): Uint8Array {
  const b = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(b.buffer).setFloat32(4 * i, v, little));
  return b;
}
