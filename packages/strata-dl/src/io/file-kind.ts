// SPDX-License-Identifier: MIT
// Recognizes a weights file by its first bytes, so that a file of another format is named as such
// ("model.bin is a zip archive (PyTorch's torch.save)…") instead of failing deep in a parser.

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a zip archive (PyTorch's torch.save format or a Keras .keras file)" },
  { bytes: [0x89, 0x48, 0x44, 0x46], what: 'an HDF5 file (Keras .h5 weights)' },
  { bytes: [0x47, 0x47, 0x55, 0x46], what: 'a GGUF file' },
  { bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], what: 'a NumPy .npy array' },
  { bytes: [0x1f, 0x8b], what: 'a gzip file' },
];

/** A phrase naming the format of `bytes` when its signature is known, else null. */
export function knownFormat(bytes: Uint8Array): string | null {
  for (const s of SIGNATURES) if (s.bytes.every((b, i) => bytes[i] === b)) return s.what;
  // Python pickles (torch.save's legacy format) open with PROTO 2..5.
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return "a Python pickle (PyTorch's legacy torch.save format)";
  return null;
}
