// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { nodeFileSystem } from '../../packages/strata-dl/src/io/node-fs.js';
import { assertClose } from '../helpers.js';

const { io } = st;

test('safetensors layout: 8-byte LE header length, JSON header with dtype/shape/offsets, LE data', () => {
  const bytes = io.encodeSafetensors({ a: st.tensor([1, -2], { dtype: 'float32' }), b: st.tensor([[7]], { dtype: 'int32' }) }, { note: 'hi' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0, 'data is 8-byte aligned');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header, { __metadata__: { note: 'hi' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'I32', shape: [1, 1], data_offsets: [8, 12] } });
  const data = new DataView(bytes.buffer, 8 + n);
  assert.equal(data.getFloat32(4, true), -2);
  assert.equal(data.getInt32(8, true), 7);
});

test('round trip of every dtype, and a file written by hand from the spec (with an int64 buffer)', () => {
  const t = { f32: st.tensor([[1.5, 2], [3, 4]]), f64: st.tensor([Math.PI], { dtype: 'float64' }), i32: st.tensor([-3, 9], { dtype: 'int32' }), b: st.tensor([true, false, true]) };
  const back = io.decodeSafetensors(io.encodeSafetensors(t)).tensors;
  for (const [k, v] of Object.entries(t)) {
    assert.equal(back[k].dtype, v.dtype);
    assert.deepEqual(back[k].toArray(), v.toArray());
  }
  // As PyTorch writes num_batches_tracked: I64, shape [] (a scalar).
  const head = new TextEncoder().encode('{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}}');
  const file = new Uint8Array(8 + head.length + 24);
  const view = new DataView(file.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  file.set(head, 8);
  view.setBigInt64(8 + head.length, 42n, true);
  view.setFloat64(8 + head.length + 8, 0.5, true);
  view.setFloat64(8 + head.length + 16, -1, true);
  const got = io.decodeSafetensors(file).tensors;
  assert.equal(got.n.dtype, 'int32');
  assert.equal(got.n.item(), 42);
  assert.deepEqual(got.w.toArray(), [0.5, -1]);
  assert.throws(() => io.decodeSafetensors(file.subarray(0, 30)), /decodeSafetensors: the input \(30 bytes\) is truncated: its header of \d+ bytes runs past the end/);
});

test('a PyTorch-shaped state dict loads into a module unchanged', () => {
  const bn = new st.nn.BatchNorm1d(2);
  const file = io.encodeSafetensors({
    weight: st.tensor([2, 3]), bias: st.tensor([0, 1]), running_mean: st.tensor([0.5, 0.5]), running_var: st.tensor([4, 4]), num_batches_tracked: st.tensor(7, { dtype: 'int32' }),
  });
  bn.loadStateDict(io.decodeSafetensors(file).tensors);
  assert.equal(bn.numBatchesTracked.item(), 7);
  assertClose(bn.eval().forward(st.tensor([[2.5, 0.5]])), [[2 * 2 / Math.sqrt(4 + 1e-5), 0 + 1]], 1e-5);
});

test('checkpoints carry JSON metadata (Infinity included) and are written atomically (temp file, then rename)', async () => {
  const ops: string[] = [];
  const files = new Map<string, Uint8Array>();
  const fs: st.io.FileSystem = {
    async writeFile(p, d) { ops.push(`write ${p}`); files.set(p, d); },
    async readFile(p) { const d = files.get(p); if (!d) throw new Error(`no ${p}`); return d; },
    async rename(a, b) { ops.push(`rename ${a} -> ${b}`); files.set(b, files.get(a)!); files.delete(a); },
  };
  await io.saveCheckpoint('ck.safetensors', { tensors: { w: st.tensor([1, 2]) }, metadata: { epoch: 3, best: Infinity, nested: { a: [1, 'x'] } } }, fs);
  assert.equal(ops.length, 2);
  assert.match(ops[0], /^write ck\.safetensors\.tmp-/);
  assert.match(ops[1], /-> ck\.safetensors$/);
  assert.deepEqual([...files.keys()], ['ck.safetensors']);
  const ck = await io.loadCheckpoint('ck.safetensors', fs);
  assert.deepEqual(ck.metadata, { epoch: 3, best: Infinity, nested: { a: [1, 'x'] } });
  assert.deepEqual(ck.tensors.w.toArray(), [1, 2]);
  assert.throws(() => io.decodeCheckpoint(io.encodeSafetensors({})), /not a Strata checkpoint/);
});

test('nodeFileSystem writes into new folders and leaves no temporary file behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-io-'));
  try {
    const path = join(dir, 'sub', 'w.safetensors');
    await io.saveSafetensors(path, { w: st.tensor([5]) }, nodeFileSystem);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['w.safetensors']);
    assert.deepEqual((await io.loadSafetensors(path, nodeFileSystem)).w.toArray(), [5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
