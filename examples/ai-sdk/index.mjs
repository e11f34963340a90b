// Caption an image with the Vercel AI SDK's generateText, and stream an answer with streamText, against PaliGemma.
import { readFile } from 'node:fs/promises';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';

const baseURL = `${process.env.PALIGEMMA_BASE_URL ?? 'http://localhost:8080'}/v1`;
const apiKey = process.env.PALIGEMMA_API_KEY;
const paligemma = createOpenAICompatible({ name: 'paligemma', baseURL, apiKey, includeUsage: true });
// The server serves one model; ask it for the id.
const { data } = await (await fetch(`${baseURL}/models`, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {} })).json();
const model = paligemma(data[0].id);
const image = await readFile(process.argv[2] ?? '../../fixtures/images/coffee.jpg');

// PaliGemma answers one prompt about one image: the text is its task syntax, the image an image part.
const messages = (prompt) => [{ role: 'user', content: [{ type: 'text', text: prompt }, { type: 'image', image }] }];

const { text, usage, finishReason } = await generateText({ model, messages: messages('caption en'), maxOutputTokens: 64 });
console.log('caption:', text, `(${usage.outputTokens} tokens, ${finishReason})`);

process.stdout.write('answer: ');
const answer = streamText({ model, messages: messages(process.argv[3] ?? 'answer en what is on the table?'), maxOutputTokens: 32 });
for await (const piece of answer.textStream) process.stdout.write(piece);
process.stdout.write('\n');
