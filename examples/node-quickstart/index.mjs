// Caption an image and find objects in it with a running PaliGemma service.
import { PaliGemma } from '@paligemma/sdk';
import { fromFile } from '@paligemma/sdk/node';

const client = new PaliGemma({ baseURL: process.env.PALIGEMMA_BASE_URL ?? 'http://localhost:8080' });
const image = await fromFile(process.argv[2] ?? '../../fixtures/images/coffee.jpg');

const { caption } = await client.caption(image);
console.log('caption:', caption);

const { objects } = await client.detect(image, (process.argv[3] ?? 'cup').split(','));
for (const { label, box } of objects) console.log(`${label}: (${box.xMin}, ${box.yMin}) to (${box.xMax}, ${box.yMax})`);
