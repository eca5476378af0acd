// SPDX-License-Identifier: MIT
// Bytes for fuzzing importOnnx: random bytes, and a real small model (PyTorch's export of a GRU,
// test/fixtures/torch/gru.onnx) truncated, with bytes overwritten, or with a run cut out. Whatever
// the bytes, importOnnx must return a model or raise a StrataError naming itself, never another
// exception (a RangeError from a length field, a TypeError from a missing message).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

const model = [...readFileSync(new URL('../fixtures/torch/gru.onnx', import.meta.url))];
const byte = fc.integer({ min: 0, max: 255 });
const at = fc.integer({ min: 0, max: model.length - 1 });

export const ONNX_BYTES: fc.Arbitrary<[number[]]> = fc.oneof(
  fc.array(byte, { maxLength: 64 }),
  at.map((n) => model.slice(0, n)),
  fc.array(fc.tuple(at, byte), { minLength: 1, maxLength: 8 }).map((edits) => { const m = [...model]; for (const [i, b] of edits) m[i] = b; return m; }),
  fc.tuple(at, fc.integer({ min: 1, max: 40 })).map(([i, k]) => [...model.slice(0, i), ...model.slice(i + k)]),
).map((b): [number[]] => [b]);
