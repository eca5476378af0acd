// SPDX-License-Identifier: MIT
// The classify page's pictures: the decision boundary as a heat map with the points on it, and the
// network with each weight drawn as an edge whose thickness is |w| and whose colour is its sign.
import type { Points } from './datasets.js';

/** Class 0 and class 1, as in TensorFlow Playground (orange, blue). */
const C0 = [245, 147, 34];
const C1 = [8, 119, 189];
const css = (c: number[]): string => `rgb(${c.join(',')})`;

/** Colour of probability p of class 1: orange through white to blue. */
function shade(p: number): [number, number, number] {
  const t = Math.abs(2 * p - 1) * 0.75; // keep the heat map pale so that the points stand out
  const c = p < 0.5 ? C0 : C1;
  return [255 + (c[0] - 255) * t, 255 + (c[1] - 255) * t, 255 + (c[2] - 255) * t];
}

const scratch = document.createElement('canvas');

/** Heat map of `grid` (res×res over [-1, 1]²), then the training points (white ring) and test points (black ring). */
export function drawBoundary(canvas: HTMLCanvasElement, grid: Float32Array | null, res: number, train: Points, test: Points, showTest: boolean): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, h);
  if (grid) {
    scratch.width = res;
    scratch.height = res;
    const sctx = scratch.getContext('2d')!;
    const img = sctx.createImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      const [r, g, b] = shade(grid[i]);
      img.data.set([r, g, b, 255], 4 * i);
    }
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, w, h);
  }
  const dot = (p: Points, ring: string): void => {
    for (let i = 0; i < p.label.length; i++) {
      const x = ((p.xy[2 * i] + 1) / 2) * w;
      const y = ((1 - p.xy[2 * i + 1]) / 2) * h;
      ctx.beginPath();
      ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = css(p.label[i] ? C1 : C0);
      ctx.fill();
      ctx.strokeStyle = ring;
      ctx.stroke();
    }
  };
  dot(train, 'white');
  if (showTest) dot(test, 'black');
}

/** The network: a column of nodes per layer, every weight an edge. */
export function drawNetwork(canvas: HTMLCanvasElement, weights: number[][][]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  if (weights.length === 0) return;
  const sizes = [weights[0][0].length, ...weights.map((l) => l.length)];
  const colX = (j: number): number => 30 + (j / (sizes.length - 1)) * (w - 60);
  const rowY = (j: number, i: number): number => h / 2 + 8 + (i - (sizes[j] - 1) / 2) * Math.min(22, (h - 44) / Math.max(1, sizes[j] - 1));
  const maxAbs = Math.max(1e-6, ...weights.flatMap((l) => l.flatMap((r) => r.map(Math.abs))));
  weights.forEach((layer, j) => {
    layer.forEach((row, o) => row.forEach((v, i) => {
      ctx.strokeStyle = v >= 0 ? `rgba(${C1.join(',')},0.8)` : `rgba(${C0.join(',')},0.8)`;
      ctx.lineWidth = 0.3 + 4 * (Math.abs(v) / maxAbs);
      ctx.beginPath();
      ctx.moveTo(colX(j), rowY(j, i));
      ctx.lineTo(colX(j + 1), rowY(j + 1, o));
      ctx.stroke();
    }));
  });
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  sizes.forEach((n, j) => {
    for (let i = 0; i < n; i++) {
      ctx.beginPath();
      ctx.arc(colX(j), rowY(j, i), 6, 0, 2 * Math.PI);
      ctx.fillStyle = 'white';
      ctx.fill();
      ctx.strokeStyle = '#444';
      ctx.stroke();
    }
    const label = j === 0 ? 'x, y' : j === sizes.length - 1 ? 'output' : `${n}`;
    ctx.fillStyle = '#444';
    ctx.fillText(label, colX(j), 12);
  });
}
