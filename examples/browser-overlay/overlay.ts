// Sends the chosen image to PaliGemma and draws the boxes (detect) or masks (segment) on a canvas over it.
import { PaliGemma, decodeRle, type Box, type RleMask } from '@paligemma/sdk';

// Same origin: serve.mjs forwards /v1/* to the PaliGemma server, so the page needs no CORS.
const client = new PaliGemma({ baseURL: location.origin });
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#bcbd22'];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const photo = $<HTMLImageElement>('photo');
const canvas = $<HTMLCanvasElement>('overlay');
const status = $<HTMLParagraphElement>('status');

$<HTMLFormElement>('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $<HTMLInputElement>('file').files?.[0];
  if (!file) return;
  const labels = $<HTMLInputElement>('labels').value.split(',').map((label) => label.trim()).filter(Boolean);
  const task = $<HTMLSelectElement>('task').value as 'detect' | 'segment';
  photo.src = URL.createObjectURL(file);
  status.textContent = `Running ${task}…`;
  try {
    const started = performance.now();
    const result = task === 'detect' ? await client.detect(file, labels) : await client.segment(file, labels);
    status.textContent = `${result.objects.length} objects in ${Math.round(performance.now() - started)} ms`;
    draw(result.image, result.objects);
  } catch (error) {
    status.textContent = String(error);
  }
});

/** The canvas gets the image's pixel size; CSS stretches both alike, so pixel coordinates line up. */
function draw(image: { width: number; height: number }, objects: Array<{ label: string; box: Box; mask?: RleMask }>) {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, image.width, image.height);
  objects.forEach(({ label, box, mask }, index) => {
    const color = COLORS[index % COLORS.length];
    if (mask) drawMask(context, mask, color);
    context.strokeStyle = context.fillStyle = color;
    context.lineWidth = Math.max(2, image.width / 300);
    context.strokeRect(box.xMin, box.yMin, box.xMax - box.xMin, box.yMax - box.yMin);
    context.font = `${Math.max(14, image.width / 50)}px sans-serif`;
    context.fillText(label, box.xMin + 4, Math.max(box.yMin - 6, 16));
  });
}

/** A COCO RLE mask (column-major runs at image size) as a translucent layer in the object's colour. */
function drawMask(context: CanvasRenderingContext2D, mask: RleMask, color: string) {
  const [height, width] = mask.size;
  const bits = decodeRle(mask);
  const layer = new OffscreenCanvas(width, height);
  const layerContext = layer.getContext('2d')!;
  const pixels = layerContext.createImageData(width, height);
  const [red, green, blue] = [1, 3, 5].map((offset) => parseInt(color.slice(offset, offset + 2), 16));
  bits.forEach((bit, pixel) => {
    if (bit) pixels.data.set([red, green, blue, 110], pixel * 4);
  });
  layerContext.putImageData(pixels, 0, 0);
  context.drawImage(layer, 0, 0);
}
