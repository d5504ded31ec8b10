import { encodePng } from './png';

/** Sizes Teams requires: the colour icon is 192×192, the outline icon 32×32 white on transparent. */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
export const ACCENT_COLOR = '#0F6CBD';

/** A cloud with an upward arrow cut out of it ("back up to iCloud"), on a unit square. */
function insideMark(x: number, y: number): boolean {
  const inCircle = (cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const cloud =
    inCircle(0.34, 0.58, 0.14) ||
    inCircle(0.54, 0.47, 0.24) ||
    inCircle(0.75, 0.6, 0.12) ||
    (x >= 0.34 && x <= 0.75 && y >= 0.55 && y <= 0.72);
  const shaft = x >= 0.505 && x <= 0.575 && y >= 0.47 && y <= 0.66;
  const head = y >= 0.33 && y <= 0.5 && Math.abs(x - 0.54) <= ((y - 0.33) / 0.17) * 0.12;
  return cloud && !shaft && !head;
}

/** How much of pixel (px, py) the mark covers, sampled 4×4 for smooth edges. */
function coverage(px: number, py: number, size: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) if (insideMark((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
  }
  return hits / 16;
}

function draw(size: number, pixel: (cover: number) => [number, number, number, number]): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(pixel(coverage(x, y, size)), (y * size + x) * 4);
  }
  return encodePng(size, size, rgba);
}

/** Full-bleed accent colour with the white mark; Teams rounds the corners itself. */
export function colorIcon(): Buffer {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(ACCENT_COLOR.slice(i, i + 2), 16)) as [number, number, number];
  return draw(COLOR_ICON_SIZE, (c) => [Math.round(r + (255 - r) * c), Math.round(g + (255 - g) * c), Math.round(b + (255 - b) * c), 255]);
}

/** The mark alone, white, on a transparent background, as Teams' outline icon must be. */
export function outlineIcon(): Buffer {
  return draw(OUTLINE_ICON_SIZE, (c) => [255, 255, 255, Math.round(255 * c)]);
}
