/** `--annotate out.png`: the input image with each object's translucent mask, box and label drawn on it (sharp). */
import { decodeRle } from '@paligemma/sdk';
import type { Box, RleMask } from '@paligemma/sdk/contract';
import sharp, { type OverlayOptions } from 'sharp';
import { MASK_OPACITY, outlineWidth, overlayColor, overlayCss } from '../overlay-palette.js';

/** An object to draw: a box with a label, and a mask when the task produced one. */
export interface AnnotatedObject {
  label: string;
  box: Box;
  mask?: RleMask;
}

/**
 * Writes `image` with the objects drawn to `outputPath` (format from its extension: .png, .jpg, .webp …).
 * The image is turned upright by its EXIF orientation first, as the model saw it, so boxes land where they belong.
 * Masks become one RGBA layer; boxes and labels an SVG layer on top.
 * @example await annotateImage(await readFile('cat.jpg'), result.objects, 'cat-annotated.png');
 */
export async function annotateImage(image: Uint8Array, objects: AnnotatedObject[], outputPath: string): Promise<void> {
  // Raw pixels in between, so a JPEG is not re-compressed before the overlay is drawn.
  const upright = await sharp(image).rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = upright.info;
  const layers: OverlayOptions[] = [];
  const masks = maskLayer(objects, width, height);
  if (masks) layers.push({ input: masks, raw: { width, height, channels: 4 } });
  if (objects.length > 0) layers.push({ input: Buffer.from(boxesSvg(objects, width, height)) });
  await sharp(upright.data, { raw: { width, height, channels } }).composite(layers).toFile(outputPath);
}

/** Every mask in its object's colour at {@link MASK_OPACITY}; later objects paint over earlier ones. */
function maskLayer(objects: AnnotatedObject[], width: number, height: number): Buffer | undefined {
  if (!objects.some((object) => object.mask)) return undefined;
  const pixels = Buffer.alloc(width * height * 4);
  const alpha = Math.round(MASK_OPACITY * 255);
  objects.forEach((object, index) => {
    if (!object.mask) return;
    const [maskHeight, maskWidth] = object.mask.size;
    // A mask is at image size by contract; one that is not cannot be placed, so it is skipped rather than smeared.
    if (maskWidth !== width || maskHeight !== height) return;
    const mask = decodeRle(object.mask);
    const [red, green, blue] = overlayColor(index);
    for (let pixel = 0; pixel < mask.length; pixel += 1) {
      if (mask[pixel] === 0) continue;
      pixels[pixel * 4] = red;
      pixels[pixel * 4 + 1] = green;
      pixels[pixel * 4 + 2] = blue;
      pixels[pixel * 4 + 3] = alpha;
    }
  });
  return pixels;
}

/** Box outlines with a filled label tag above each box (inside it when the box touches the top edge). */
function boxesSvg(objects: AnnotatedObject[], width: number, height: number): string {
  const stroke = outlineWidth(width, height);
  const fontSize = Math.max(12, stroke * 6);
  const shapes = objects.map((object, index) => {
    const { xMin, yMin, xMax, yMax } = object.box;
    const color = overlayCss(index);
    const tagHeight = fontSize + 4;
    const tagY = yMin >= tagHeight ? yMin - tagHeight : yMin;
    // Text width is not measurable here; 0.6 em per character fits common sans-serif fonts.
    const tagWidth = Math.ceil(object.label.length * fontSize * 0.6) + 8;
    return [
      `<rect x="${xMin}" y="${yMin}" width="${Math.max(0, xMax - xMin)}" height="${Math.max(0, yMax - yMin)}" fill="none" stroke="${color}" stroke-width="${stroke}"/>`,
      `<rect x="${xMin}" y="${tagY}" width="${tagWidth}" height="${tagHeight}" fill="${color}"/>`,
      `<text x="${xMin + 4}" y="${tagY + fontSize}" font-family="sans-serif" font-size="${fontSize}" fill="white">${escapeXml(object.label)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
