// Caption an image, stream an answer and find objects through PaliGemma's OpenAI-compatible API, with `openai`.
import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: `${process.env.PALIGEMMA_BASE_URL ?? 'http://localhost:8080'}/v1`,
  // Checked only when the server sets PALIGEMMA_API_KEYS; the openai package wants one either way.
  apiKey: process.env.PALIGEMMA_API_KEY ?? 'unused',
});
// The server reads the format from the bytes, whatever the data URI says.
const image = `data:image/jpeg;base64,${(await readFile(process.argv[2] ?? '../../fixtures/images/coffee.jpg')).toString('base64')}`;
const { data: [{ id: model }] } = await client.models.list();

// PaliGemma answers one prompt about one image: the prompt is the last user message's text, in its task syntax.
const ask = (prompt) => [{ role: 'user', content: [{ type: 'text', text: prompt }, { type: 'image_url', image_url: { url: image } }] }];

const caption = await client.chat.completions.create({ model, messages: ask('caption en'), max_tokens: 64 });
console.log('caption:', caption.choices[0].message.content);

process.stdout.write('answer: ');
const stream = await client.chat.completions.create({ model, messages: ask('answer en what is on the table?'), max_tokens: 32, stream: true });
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
process.stdout.write('\n');

// A detect prompt: the model's raw answer in `content`, the parsed boxes in the `paligemma` extension field.
const labels = (process.argv[3] ?? 'cup').split(',');
const detection = await client.chat.completions.create({ model, messages: ask(`detect ${labels.join(' ; ')}`), max_tokens: 128 });
console.log('raw:', detection.choices[0].message.content);
for (const { label, box } of detection.choices[0].message.paligemma?.objects ?? []) {
  console.log(`${label}: (${box.xMin}, ${box.yMin}) to (${box.xMax}, ${box.yMax})`);
}
