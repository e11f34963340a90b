// Reads a COCO annotations file, as `paligemma label` writes it, with nothing but Node: categories by id,
// annotations grouped by image, boxes as [x, y, width, height] in pixels.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'out/labels.json';
const coco = JSON.parse(readFileSync(file, 'utf8'));

const categories = new Map(coco.categories.map((category) => [category.id, category.name]));
const byImage = new Map();
for (const annotation of coco.annotations) {
  if (!byImage.has(annotation.image_id)) byImage.set(annotation.image_id, []);
  byImage.get(annotation.image_id).push(annotation);
}

for (const image of coco.images) {
  const annotations = byImage.get(image.id) ?? [];
  console.log(`${image.file_name} (${image.width}x${image.height}): ${annotations.length} objects`);
  for (const { category_id, bbox, area, segmentation } of annotations) {
    const polygons = segmentation ? `, ${segmentation.length} polygons` : '';
    console.log(`  ${categories.get(category_id)} [${bbox.map((value) => value.toFixed(1)).join(', ')}] area ${Math.round(area)}${polygons}`);
  }
}
console.log(`${coco.images.length} images, ${coco.annotations.length} annotations; categories: ${[...categories.values()].join(', ')}`);
