// SPDX-License-Identifier: MIT
// The convolution explorer's built-in images: SIZE×SIZE grey levels in [0, 1], computed (no image
// files, no fonts), so the page and the Node tests build the same pixels.
export const SIZE = 32;
export const IMAGES = ['digit', 'checkerboard', 'scene'] as const;
export type ImageName = (typeof IMAGES)[number];

/** Row-major SIZE×SIZE pixels of a built-in image. */
export function makeImage(name: ImageName): Float32Array {
  const img = new Float32Array(SIZE * SIZE);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const v = name === 'digit' ? digit(c + 0.5, r + 0.5) : name === 'checkerboard' ? checker(c, r) : scene(c + 0.5, r + 0.5);
      img[r * SIZE + c] = Math.fround(Math.max(0, Math.min(1, v)));
    }
  }
  return img;
}

/** 4-pixel squares. */
const checker = (c: number, r: number): number => ((Math.floor(c / 4) + Math.floor(r / 4)) % 2 === 0 ? 1 : 0);

/** A hand-written "2": a thick anti-aliased polyline (an arc, a diagonal, a foot). */
const STROKE: [number, number][] = [
  ...Array.from({ length: 9 }, (_, i): [number, number] => {
    const t = Math.PI * (1.1 - (1.25 * i) / 8);
    return [16 + 7 * Math.cos(t), 12 - 6 * Math.sin(t)];
  }),
  [9, 26], [24, 26],
];
function digit(x: number, y: number): number {
  let d = Infinity;
  for (let i = 0; i + 1 < STROKE.length; i++) d = Math.min(d, segmentDistance(x, y, STROKE[i], STROKE[i + 1]));
  return 2.2 - d; // about 3.5 px wide, with a 1 px soft edge
}
function segmentDistance(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

/** A photo-like scene: a lit gradient sky, a bright sun with a soft edge, rolling hills. */
function scene(x: number, y: number): number {
  const sky = 0.35 + 0.4 * (1 - y / SIZE) + 0.1 * Math.sin(x / 6);
  const sun = Math.max(0, Math.min(1, 5 - Math.hypot(x - 22, y - 9))) * 0.5;
  const hill = 22 + 3 * Math.sin(x / 5) + 2 * Math.cos(x / 3);
  if (y > hill) return 0.15 + 0.1 * Math.sin(x * 1.3 + y) + 0.02 * (y - hill);
  return sky + sun;
}
