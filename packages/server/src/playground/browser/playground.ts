/** The playground's browser script: pick or drop an image, run a task through the SDK, draw the answer. */
import { PaliGemma, PaliGemmaError, type TaskInput, type TaskName } from '@paligemma/sdk';
import { type OverlayObject, drawOverlay } from './draw-overlay.js';

/** Where the API key is remembered between visits (this browser only). */
const API_KEY_STORAGE_KEY = 'paligemma.apiKey';
/** An interactive page should say quickly when the server is gone; the SDK's default suits batch jobs. */
const PLAYGROUND_TIMEOUT_MS = 120_000;

type Task = TaskName;

/** What the text field means for each task, and the task's input from it. */
const TEXT_FIELD: { [Name in Task]: { hint: string; input(text: string): TaskInput<Name> } } = {
  caption: { hint: '', input: () => ({}) },
  ask: { hint: 'Question, e.g. what is in the image?', input: (question) => ({ question }) },
  detect: { hint: 'Labels, separated by commas, e.g. cat, dog', input: (text) => ({ labels: labelList(text) }) },
  segment: { hint: 'Labels, separated by commas, e.g. cat', input: (text) => ({ labels: labelList(text) }) },
  generate: { hint: 'A prompt of your own, e.g. ocr, caption es, detect car', input: (prompt) => ({ prompt }) },
};

function labelList(text: string): string[] {
  return text.split(/[,;]/).map((label) => label.trim()).filter((label) => label.length > 0);
}

const element = <Type extends HTMLElement>(id: string) => document.getElementById(id) as Type;
const fileInput = element<HTMLInputElement>('image');
const dropZone = element<HTMLLabelElement>('drop-zone');
const taskSelect = element<HTMLSelectElement>('task');
const promptInput = element<HTMLInputElement>('prompt');
const apiKeyInput = element<HTMLInputElement>('api-key');
const runButton = element<HTMLButtonElement>('run');
const canvas = element<HTMLCanvasElement>('canvas');
const statusLine = element<HTMLParagraphElement>('status');
const answer = element<HTMLPreElement>('answer');
const objectList = element<HTMLOListElement>('objects');
const rawDetails = element<HTMLDetailsElement>('raw-details');
const rawOutput = element<HTMLPreElement>('raw');

let image: { file: Blob; bitmap: ImageBitmap } | undefined;

apiKeyInput.value = localStorage.getItem(API_KEY_STORAGE_KEY) ?? '';
apiKeyInput.addEventListener('change', () => {
  const key = apiKeyInput.value.trim();
  if (key) localStorage.setItem(API_KEY_STORAGE_KEY, key);
  else localStorage.removeItem(API_KEY_STORAGE_KEY);
});

taskSelect.addEventListener('change', showPromptField);
showPromptField();

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void useImage(file);
});
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (file) void useImage(file);
});
element<HTMLFormElement>('form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run();
});

function showPromptField(): void {
  const task = taskSelect.value as Task;
  promptInput.hidden = TEXT_FIELD[task].hint === '';
  promptInput.placeholder = TEXT_FIELD[task].hint;
}

async function useImage(file: Blob): Promise<void> {
  try {
    const bitmap = await createImageBitmap(file);
    image = { file, bitmap };
    drawOverlay(canvas, bitmap, []);
    canvas.hidden = false;
    setState('ready', `${bitmap.width}×${bitmap.height} image; choose a task and run.`);
    answer.textContent = '';
    objectList.replaceChildren();
    rawDetails.hidden = true;
  } catch {
    setState('error', 'This browser cannot show that file; pick a JPEG, PNG, WebP or GIF.');
  }
}

async function run(): Promise<void> {
  if (!image) {
    setState('error', 'Pick or drop an image first.');
    return;
  }
  const task = taskSelect.value as Task;
  const text = promptInput.value.trim();
  const client = new PaliGemma({ baseURL: location.origin, apiKey: apiKeyInput.value.trim() || undefined, timeoutMs: PLAYGROUND_TIMEOUT_MS, maxRetries: 0 });
  runButton.disabled = true;
  setState('running', `Running ${task}…`);
  const started = performance.now();
  try {
    const { file, bitmap } = image;
    // Every task's result is one of these shapes; the fields a task has are the ones shown.
    const result = (await client.run(task, file, TEXT_FIELD[task].input(text) as never)) as {
      caption?: string; answer?: string; text?: string; raw?: string; objects?: OverlayObject[]; usage: { durationMs: number; completionTokens: number };
    };
    const latency = Math.round(performance.now() - started);
    const objects = result.objects ?? [];
    drawOverlay(canvas, bitmap, objects);
    answer.textContent = result.caption ?? result.answer ?? result.text ?? '';
    // Detect and segment answer with objects; their raw text (what was parsed, and what was dropped) stays folded.
    rawOutput.textContent = result.raw ?? '';
    rawDetails.hidden = result.raw === undefined;
    objectList.replaceChildren(...objects.map(describeObject));
    canvas.dataset.objects = String(objects.length);
    const { usage } = result;
    setState('done', `${latency} ms in the browser · ${Math.round(usage.durationMs)} ms on the server · ${usage.completionTokens} tokens · ${objects.length > 0 || task === 'detect' || task === 'segment' ? `${objects.length} objects` : 'done'}`);
  } catch (error) {
    const message = error instanceof PaliGemmaError || error instanceof Error ? error.message : String(error);
    const hint = (error as { status?: number }).status === 401 ? ' — enter the API key below.' : '';
    setState('error', `${task} failed: ${message}${hint}`);
  } finally {
    runButton.disabled = false;
  }
}

function describeObject(object: OverlayObject): HTMLLIElement {
  const item = document.createElement('li');
  const { xMin, yMin, xMax, yMax } = object.box;
  item.textContent = `${object.label} — (${Math.round(xMin)}, ${Math.round(yMin)}) to (${Math.round(xMax)}, ${Math.round(yMax)})`;
  return item;
}

/** The page's state is on <body data-state>, for styles and for tests that wait for an answer. */
function setState(state: 'ready' | 'running' | 'done' | 'error', message: string): void {
  document.body.dataset.state = state;
  statusLine.textContent = message;
}
