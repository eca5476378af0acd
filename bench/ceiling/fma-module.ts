// SPDX-License-Identifier: MIT
// The wasm ceiling probe's module, assembled byte by byte here (no compiler, nothing to build): one
// exported function `run(n: i32, s: f32) -> f32` that does n iterations of `unroll` rounds of one
// 128-bit multiply-add on each of `accumulators` independent v128 locals. Locals only, no memory:
// the loop body is local.get / SIMD op / local.set and the loop counter, so what it measures is how
// many 128-bit FMAs (or mul+add pairs) per second the engine's code can issue from registers, the
// most a wasm SIMD kernel could reach. Enough independent accumulators (8-12) hide the FMA latency
// (about 4 cycles at 2 per cycle on current x86 cores).
//
// Each accumulator converges to 1 (acc = acc·s + (1 - s) with s < 1): finite, never denormal, and the
// returned sum depends on every accumulator, so no engine can drop the work.

/** How the probe multiplies and adds. */
export type FmaOp = 'relaxed-madd' | 'mul-add';

export interface FmaModuleOptions {
  /** 'relaxed-madd': f32x4.relaxed_madd (one FMA instruction where the CPU has FMA); 'mul-add': f32x4.mul then f32x4.add. */
  op: FmaOp;
  /** Independent v128 accumulators (default 12: with x, y and V8's scratch register, 15 of x64's 16 xmm registers). */
  accumulators?: number;
  /** Rounds over all accumulators per loop iteration (default 4), so the loop's own cost is small. */
  unroll?: number;
}

/** The accumulators the probe uses unless told otherwise. */
export const DEFAULT_ACCUMULATORS = 12;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, localGet: 0x20, localSet: 0x21,
  i32Const: 0x41, f32Const: 0x43, i32Eqz: 0x45, i32Sub: 0x6b, f32Add: 0x92, f32Sub: 0x93, void: 0x40,
} as const;
/** SIMD opcodes: the 0xfd prefix, then the opcode as unsigned LEB128. */
const SIMD = { f32x4Splat: 0x13, f32x4ExtractLane: 0x1f, f32x4Add: 0xe4, f32x4Mul: 0xe6, f32x4RelaxedMadd: 0x105 } as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const f32 = (v: number): number[] => [OP.f32Const, ...new Uint8Array(new Float32Array([v]).buffer)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** FLOPs that one iteration of `run`'s loop does: 4 lanes · 2 (a multiply and an add) per accumulator per round. */
export function flopsPerIteration({ accumulators = DEFAULT_ACCUMULATORS, unroll = 4 }: FmaModuleOptions): number {
  return accumulators * unroll * 4 * 2;
}

/** The probe module's bytes (see the file's header). */
export function fmaModule({ op, accumulators = DEFAULT_ACCUMULATORS, unroll = 4 }: FmaModuleOptions): Uint8Array<ArrayBuffer> {
  if (!(Number.isInteger(accumulators) && accumulators >= 1 && accumulators <= 64)) throw new RangeError(`fmaModule: accumulators must be an integer in [1, 64], got ${accumulators}`);
  if (!(Number.isInteger(unroll) && unroll >= 1 && unroll <= 64)) throw new RangeError(`fmaModule: unroll must be an integer in [1, 64], got ${unroll}`);
  // locals: 0 = n (i32), 1 = s (f32), 2 = x = splat(s), 3 = y = splat(1 - s), 4.. = the accumulators
  const X = 2;
  const Y = 3;
  const acc = (i: number): number => 4 + i;
  const body: number[] = [];
  body.push(OP.localGet, 1, ...simd(SIMD.f32x4Splat), OP.localSet, X);
  body.push(...f32(1), OP.localGet, 1, OP.f32Sub, ...simd(SIMD.f32x4Splat), OP.localSet, Y);
  for (let i = 0; i < accumulators; i++) body.push(OP.localGet, 1, ...f32(i), OP.f32Add, ...simd(SIMD.f32x4Splat), OP.localSet, acc(i));
  body.push(OP.block, OP.void, OP.loop, OP.void);
  body.push(OP.localGet, 0, OP.i32Eqz, OP.brIf, 1);
  for (let r = 0; r < unroll; r++) {
    for (let i = 0; i < accumulators; i++) {
      if (op === 'relaxed-madd') body.push(OP.localGet, acc(i), OP.localGet, X, OP.localGet, Y, ...simd(SIMD.f32x4RelaxedMadd), OP.localSet, acc(i));
      else body.push(OP.localGet, acc(i), OP.localGet, X, ...simd(SIMD.f32x4Mul), OP.localGet, Y, ...simd(SIMD.f32x4Add), OP.localSet, acc(i));
    }
  }
  body.push(OP.localGet, 0, OP.i32Const, 1, OP.i32Sub, OP.localSet, 0, OP.br, 0, OP.end, OP.end);
  for (let i = 0; i < accumulators; i++) {
    body.push(OP.localGet, acc(i), ...simd(SIMD.f32x4ExtractLane), 0);
    if (i > 0) body.push(OP.f32Add);
  }
  body.push(OP.end);
  const locals = vec([[...uleb(accumulators + 2), V128]]);
  const func = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [F32]]), ...vec([[F32]])]])), // type 0: (i32, f32) -> f32
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(7, vec([[...vec([...'run'].map((c) => [c.charCodeAt(0)])), 0x00, 0]])), // export "run" = function 0
    ...section(10, vec([[...uleb(func.length), ...func]])),
  ]);
}
