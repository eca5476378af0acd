// SPDX-License-Identifier: MIT
// Safetensors and checkpoint files are recognized by their structure before parsing, and errors
// name the file: `model.bin is not a safetensors file: …`, not a header of 2·10¹⁸ bytes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';

const { io } = st;

test('a file of another format is named as not safetensors, with its path, before any parsing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-io-'));
  try {
    // bytes whose first 8 read as a header length of about 2.3·10¹⁸ (what the model.bin gave)
    const junk = new TextEncoder().encode('0123456789 not a weights file at all');
    const bin = join(dir, 'model.bin');
    writeFileSync(bin, junk);
    await assert.rejects(io.loadSafetensors(bin, nodeFileSystem), (e: Error) => {
      assert.equal(e.name, 'StrataError');
      assert.match(e.message, /^decodeSafetensors: .*model\.bin is not a safetensors file: a safetensors file begins with an 8-byte little-endian header length and a JSON header '\{…\}'; this one begins 30 31 32 33 34 35 36 37 38 39 20 6e$/);
      assert.doesNotMatch(e.message, /runs past/);
      return true;
    });
    await assert.rejects(io.loadCheckpoint(bin, nodeFileSystem), /^StrataError: decodeCheckpoint: .*model\.bin is not a safetensors file: .*\(a Strata checkpoint is a safetensors file\)$/);
    // PyTorch's torch.save writes a zip archive
    const pt = join(dir, 'model.pt');
    writeFileSync(pt, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0]));
    await assert.rejects(io.loadSafetensors(pt, nodeFileSystem), /model\.pt is not a safetensors file: it is a zip archive \(PyTorch's torch\.save format or a Keras \.keras file\)/);
    // plain safetensors loaded as a checkpoint
    const plain = join(dir, 'weights.safetensors');
    writeFileSync(plain, io.encodeSafetensors({ w: st.ones([2]) }));
    await assert.rejects(io.loadCheckpoint(plain, nodeFileSystem), /decodeCheckpoint: .*weights\.safetensors is not a Strata checkpoint \(format 'none'\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes without a name: too short, truncated, a malformed header entry', () => {
  assert.throws(() => io.decodeSafetensors(new Uint8Array(5)), /^StrataError: decodeSafetensors: the input \(5 bytes\) is not a safetensors file: 5 bytes, fewer than the 8-byte header length that begins one$/);
  const good = io.encodeSafetensors({ w: st.tensor([1, 2, 3]) });
  assert.throws(() => io.decodeSafetensors(good.subarray(0, 20)), /the input \(20 bytes\) is truncated: its header of \d+ bytes runs past the end of the 20-byte file/);
  const head = new TextEncoder().encode('{"w":{"dtype":"F32","shape":"big","data_offsets":[0,4]}}');
  const file = new Uint8Array(8 + head.length + 4);
  new DataView(file.buffer).setBigUint64(0, BigInt(head.length), true);
  file.set(head, 8);
  assert.throws(() => io.decodeSafetensors(file, { source: 'w.safetensors' }), /decodeSafetensors: w\.safetensors: header entry 'w' is \{"dtype":"F32","shape":"big","data_offsets":\[0,4\]\}, expected \{ dtype, shape, data_offsets: \[begin, end\] \}/);
  // the good file still reads
  assert.deepEqual(io.decodeSafetensors(good).tensors.w.toArray(), [1, 2, 3]);
});
