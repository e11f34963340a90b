/** Draws an image with its objects on a canvas: translucent masks, then box outlines and label tags. */
import { decodeRle } from '@paligemma/sdk';
import type { Box, RleMask } from '@paligemma/sdk/contract';
import { MASK_OPACITY, outlineWidth, overlayColor, overlayCss } from '../../overlay-palette.js';

/** An object as detect and segment return it; `mask` only from segment. */
export interface OverlayObject {
  label: string;
  box: Box;
  mask?: RleMask;
}

/**
 * Resizes `canvas` to the image and paints the image, then every object over it (colours as the CLI's `--annotate`).
 * @example drawOverlay(canvas, await createImageBitmap(file), result.objects);
 */
export function drawOverlay(canvas: HTMLCanvasElement, image: ImageBitmap, objects: OverlayObject[]): void {
  const { width, height } = image;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser has no 2D canvas');
  context.drawImage(image, 0, 0);
  objects.forEach((object, index) => {
    if (object.mask) drawMask(context, object.mask, index);
  });
  const stroke = outlineWidth(width, height);
  const fontSize = Math.max(12, stroke * 6);
  context.font = `${fontSize}px sans-serif`;
  context.textBaseline = 'top';
  objects.forEach((object, index) => {
    const { xMin, yMin, xMax, yMax } = object.box;
    context.strokeStyle = overlayCss(index);
    context.lineWidth = stroke;
    context.strokeRect(xMin, yMin, xMax - xMin, yMax - yMin);
    const tagHeight = fontSize + 4;
    const tagY = yMin >= tagHeight ? yMin - tagHeight : yMin;
    context.fillStyle = overlayCss(index);
    context.fillRect(xMin, tagY, context.measureText(object.label).width + 8, tagHeight);
    context.fillStyle = 'white';
    context.fillText(object.label, xMin + 4, tagY + 2);
  });
}

/** One mask through an offscreen canvas, so it blends over the image instead of replacing its pixels. */
function drawMask(context: CanvasRenderingContext2D, mask: RleMask, index: number): void {
  const [height, width] = mask.size;
  if (width !== context.canvas.width || height !== context.canvas.height || width === 0 || height === 0) return;
  const bits = decodeRle(mask);
  const pixels = new ImageData(width, height);
  const [red, green, blue] = overlayColor(index);
  for (let pixel = 0; pixel < bits.length; pixel += 1) {
    if (bits[pixel] === 0) continue;
    pixels.data[pixel * 4] = red;
    pixels.data[pixel * 4 + 1] = green;
    pixels.data[pixel * 4 + 2] = blue;
    pixels.data[pixel * 4 + 3] = 255;
  }
  const layer = new OffscreenCanvas(width, height);
  layer.getContext('2d')?.putImageData(pixels, 0, 0);
  context.save();
  context.globalAlpha = MASK_OPACITY;
  context.drawImage(layer, 0, 0);
  context.restore();
}
