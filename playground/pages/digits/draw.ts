// SPDX-License-Identifier: MIT
// The drawing pad and MNIST's preprocessing of a drawn digit: the strokes' bounding box scaled to fit
// 20×20 (keeping the aspect ratio), then placed in 28×28 with its centre of mass at the centre, as
// the MNIST digits were made. The result is 784 values in [0, 1], white ink on black.

/** A canvas to draw on with the mouse (or a pen or finger); `onChange` runs after every stroke segment. */
export function drawingPad(canvas: HTMLCanvasElement, onChange: () => void): { clear(): void } {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, canvas.width, canvas.height); };
  clear();
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (canvas.width / r.width), (e.clientY - r.top) * (canvas.height / r.height)];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    stroke(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    stroke(last, p);
    last = p;
  });
  const end = (): void => { last = null; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  function stroke(a: [number, number], b: [number, number]): void {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    onChange();
  }
  return { clear };
}

/** The drawing as MNIST input: 784 values in [0, 1], or null when nothing is drawn. */
export function toMnist(canvas: HTMLCanvasElement): Float32Array | null {
  const { width: w, height: h } = canvas;
  const src = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, w, h).data;
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (src[(y * w + x) * 4] > 20) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale));
  const sh = Math.max(1, Math.round(bh * scale));
  // scale the bounding box down to fit 20×20 with the browser's (smoothing) resampler
  const small = document.createElement('canvas');
  small.width = sw;
  small.height = sh;
  const sctx = small.getContext('2d', { willReadFrequently: true })!;
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(canvas, x0, y0, bw, bh, 0, 0, sw, sh);
  const px = sctx.getImageData(0, 0, sw, sh).data;
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = px[(y * sw + x) * 4] / 255;
      mass += v; mx += v * x; my += v * y;
    }
  }
  // shift so that the centre of mass lands on the centre of the 28×28 image (pixel 14, 14)
  const ox = Math.round(14 - (mass > 0 ? mx / mass : sw / 2) - 0.5);
  const oy = Math.round(14 - (mass > 0 ? my / mass : sh / 2) - 0.5);
  const out = new Float32Array(784);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const tx = x + ox, ty = y + oy;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = px[(y * sw + x) * 4] / 255;
    }
  }
  return out;
}

/** Paints `values` (rows × cols, row-major) as grey levels into a canvas, scaled to [min, max]. */
export function paintGrey(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, rows: number, cols: number, x = 0, y = 0, lo?: number, hi?: number): void {
  let min = lo ?? Infinity, max = hi ?? -Infinity;
  if (lo === undefined || hi === undefined) for (let i = 0; i < rows * cols; i++) { min = Math.min(min, values[i]); max = Math.max(max, values[i]); }
  const span = max - min || 1;
  const img = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const g = Math.round(255 * Math.min(1, Math.max(0, (values[i] - min) / span)));
    img.data[i * 4] = img.data[i * 4 + 1] = img.data[i * 4 + 2] = g;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, x, y);
}
