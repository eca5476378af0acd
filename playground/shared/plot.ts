// SPDX-License-Identifier: MIT
// A small line chart on a canvas (loss curves): no chart library, the pages stay a few kB.

export interface Series { label: string; color: string; values: readonly number[] }

/** Draws `series` against their index (all the same length), y from 0 to the largest value. */
export function drawCurves(canvas: HTMLCanvasElement, series: readonly Series[], xLabel: string): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const pad = { l: 44, r: 10, t: 20, b: 24 };
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const yMax = Math.max(1e-6, ...finite) * 1.05;
  const x = (i: number): number => pad.l + (n > 1 ? (i / (n - 1)) * (w - pad.l - pad.r) : 0);
  const y = (v: number): number => h - pad.b - (Math.min(v, yMax) / yMax) * (h - pad.t - pad.b);
  ctx.strokeStyle = '#bbb';
  ctx.fillStyle = '#555';
  ctx.beginPath();
  ctx.moveTo(pad.l, pad.t);
  ctx.lineTo(pad.l, h - pad.b);
  ctx.lineTo(w - pad.r, h - pad.b);
  ctx.stroke();
  ctx.textAlign = 'right';
  for (const v of [0, yMax / 2, yMax]) ctx.fillText(v.toPrecision(2), pad.l - 4, y(v) + 4);
  ctx.textAlign = 'center';
  ctx.fillText(xLabel, (pad.l + w - pad.r) / 2, h - 6);
  let lx = pad.l + 8;
  ctx.textAlign = 'left';
  for (const s of series) {
    ctx.fillStyle = s.color;
    ctx.fillRect(lx, 6, 10, 3);
    ctx.fillText(s.label, lx + 14, 12);
    lx += 24 + ctx.measureText(s.label).width;
    if (s.values.length < 2) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.stroke();
    ctx.lineWidth = 1;
  }
}
