// SPDX-License-Identifier: MIT
// Grey planes onto canvases, and the drawing pad read back as an image.
import type { Plane } from './compute.js';

/** Draws `p` one canvas pixel per value, scaled min→black, max→white, shown `scale`× larger. */
export function drawPlane(canvas: HTMLCanvasElement, p: Plane | null, scale: number): void {
  if (!p) {
    canvas.width = canvas.height = 1;
    canvas.style.width = canvas.style.height = '0px';
    return;
  }
  canvas.width = p.w;
  canvas.height = p.h;
  canvas.style.width = `${p.w * scale}px`;
  canvas.style.height = `${p.h * scale}px`;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of p.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const range = hi - lo > 1e-12 ? hi - lo : 1;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(p.w, p.h);
  p.data.forEach((v, i) => {
    const g = hi - lo > 1e-12 ? Math.round((255 * (v - lo)) / range) : 128;
    img.data.set([g, g, g, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
}

/** The pad's pixels averaged down to `size`×`size` grey levels in [0, 1]. */
export function readPad(pad: HTMLCanvasElement, size: number): Float32Array {
  const { width: w, height: h } = pad;
  const d = pad.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, w, h).data;
  const out = new Float32Array(size * size);
  const [bw, bh] = [w / size, h / size];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let sum = 0;
      let n = 0;
      for (let y = Math.floor(r * bh); y < Math.floor((r + 1) * bh); y++) {
        for (let x = Math.floor(c * bw); x < Math.floor((c + 1) * bw); x++) { sum += d[4 * (y * w + x)]; n++; }
      }
      out[r * size + c] = sum / (255 * Math.max(1, n));
    }
  }
  return out;
}

/** Lets the user draw white strokes on the (black) pad; `onDraw` runs after each stroke segment. */
export function attachPad(pad: HTMLCanvasElement, onDraw: () => void): { clear(): void } {
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => { ctx.fillStyle = 'black'; ctx.fillRect(0, 0, pad.width, pad.height); };
  clear();
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
  };
  pad.addEventListener('pointerdown', (e) => { last = at(e); pad.setPointerCapture(e.pointerId); });
  pad.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    ctx.strokeStyle = 'white';
    ctx.lineWidth = 18;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
    onDraw();
  });
  const end = (): void => { last = null; };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  return { clear };
}
