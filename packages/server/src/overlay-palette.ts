/** Colours for drawn objects, shared by the CLI's `--annotate` and the browser playground so both look alike. */

/**
 * Eight distinct colours (Tableau 10's first eight), readable on photos; object `i` gets colour `i mod 8`.
 * @example overlayColor(0) // [31, 119, 180]
 */
export const OVERLAY_PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [188, 189, 34],
];

/** How opaque a mask is drawn: the object stays visible beneath its colour. */
export const MASK_OPACITY = 0.45;

/**
 * The colour of the object at `index`.
 * @example overlayColor(9) // [255, 127, 14]
 */
export function overlayColor(index: number): readonly [number, number, number] {
  return OVERLAY_PALETTE[index % OVERLAY_PALETTE.length];
}

/**
 * A CSS/SVG `rgb()` string for the object at `index`.
 * @example overlayCss(0) // 'rgb(31, 119, 180)'
 */
export function overlayCss(index: number): string {
  const [red, green, blue] = overlayColor(index);
  return `rgb(${red}, ${green}, ${blue})`;
}

/**
 * Width of box outlines: visible on a large photo, not swamping a small one.
 * @example outlineWidth(1024, 768) // 3
 */
export function outlineWidth(width: number, height: number): number {
  return Math.max(2, Math.round(Math.min(width, height) / 256));
}
