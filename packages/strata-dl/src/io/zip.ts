// SPDX-License-Identifier: MIT
/**
 * A small reader for zip archives whose entries are stored (not compressed), which is what
 * `torch.save` writes (PyTorch's writer stores every record so that tensors can be memory-mapped).
 * It reads the central directory at the end of the file, then each entry's local header for the
 * position of its data, and checks each entry's CRC-32. Compressed entries get a clear error rather
 * than an inflater: a synchronous deflate would be a dependency, and no PyTorch checkpoint needs it.
 */
import { StrataError } from '../core/errors.js';

/** One entry of a zip archive: its name and its bytes (a view into the archive, not a copy). */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zip and PNG polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The entries of a zip archive, in central-directory order. `op` and `file` name the caller and the
 * file in error messages.
 */
export function readZip(bytes: Uint8Array, op: string, file: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (msg: string): never => { throw new StrataError(op, `${file}: ${msg}`); };
  // The end-of-central-directory record is the last 22 bytes, unless a comment (up to 64 KiB) follows it.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) fail('not a zip archive (no end-of-central-directory record)');
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) fail('is a zip64 archive (over 4 GiB or 65535 entries), which this reader does not support');
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) fail(`central directory entry ${k} at byte ${at} is damaged`);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (method !== 0) fail(`entry '${name}' is compressed (method ${method}); only stored entries, as torch.save writes them, are supported`);
    if (size === 0xffffffff || local === 0xffffffff) fail(`entry '${name}' uses zip64 sizes, which this reader does not support`);
    if (compressed !== size) fail(`entry '${name}' is stored but its sizes differ (${compressed} vs ${size})`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) fail(`local header of '${name}' at byte ${local} is damaged`);
    // The local header's name and extra lengths may differ from the central ones (PyTorch pads here to align data).
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > bytes.length) fail(`entry '${name}' (${size} bytes at ${start}) runs past the end of the ${bytes.length}-byte file`);
    const data = bytes.subarray(start, start + size);
    if (crc32(data) !== crc) fail(`entry '${name}' fails its CRC-32 check (the file is damaged)`);
    entries.push({ name, data });
  }
  return entries;
}
