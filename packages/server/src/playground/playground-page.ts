/** The playground's HTML: one page, styles inline, the bundled script from the same origin. */
import { OPERATIONS_ROUTES, TASK_ROUTES } from '@paligemma/sdk/contract';

/** One option per task route of the contract, so a new task shows up here by itself. */
const TASK_OPTIONS = Object.keys(TASK_ROUTES)
  .map((task) => `    <option value="${task}">${task[0].toUpperCase()}${task.slice(1)}</option>`)
  .join('\n');

/**
 * Only this origin: the script, the API calls and nothing else (images are read locally as blobs).
 * Inline styles are allowed because the page carries its own small stylesheet.
 */
export const PLAYGROUND_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' blob: data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The page served at `/`.
 * @example app.get('/', (c) => c.html(PLAYGROUND_HTML))
 */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PaliGemma playground</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; --accent: #1f77b4; }
  body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
  h1 small { font-weight: normal; opacity: 0.7; font-size: 0.9rem; margin-left: 0.5rem; }
  form { display: grid; gap: 0.75rem; grid-template-columns: 1fr auto auto; align-items: center; }
  #drop-zone { grid-column: 1 / -1; display: block; border: 2px dashed #8888; border-radius: 0.5rem; padding: 1.25rem;
    text-align: center; cursor: pointer; }
  #drop-zone.dragging { border-color: var(--accent); background: #1f77b411; }
  #drop-zone input { display: block; margin: 0.5rem auto 0; }
  input[type=text], input[type=password], select, button { font: inherit; padding: 0.4rem 0.6rem; }
  button { background: var(--accent); color: white; border: 0; border-radius: 0.3rem; cursor: pointer; }
  button:disabled { opacity: 0.6; cursor: progress; }
  details { grid-column: 1 / -1; }
  #status { min-height: 1.5em; }
  body[data-state=error] #status { color: #d62728; }
  canvas { display: block; max-width: 100%; height: auto; margin: 0.5rem 0; border-radius: 0.3rem; }
  #answer { white-space: pre-wrap; word-break: break-word; font-size: 1.05rem; }
  #raw { white-space: pre-wrap; word-break: break-all; font-size: 0.85rem; opacity: 0.8; }
  footer { margin-top: 2rem; opacity: 0.7; font-size: 0.9rem; }
</style>
</head>
<body data-state="empty">
<h1>PaliGemma playground <small>caption · ask · detect · segment</small></h1>
<form id="form">
  <label id="drop-zone">Drop an image here or choose one
    <input id="image" type="file" accept="image/*">
  </label>
  <input id="prompt" type="text" autocomplete="off" aria-label="Question or labels">
  <select id="task" aria-label="Task">
${TASK_OPTIONS}
  </select>
  <button id="run" type="submit">Run</button>
  <details>
    <summary>API key</summary>
    <p>Needed when the server sets PALIGEMMA_API_KEYS. Kept in this browser's local storage only.</p>
    <input id="api-key" type="password" autocomplete="off" aria-label="API key" size="40">
  </details>
</form>
<p id="status" role="status">Pick or drop an image to start.</p>
<canvas id="canvas" hidden></canvas>
<pre id="answer"></pre>
<ol id="objects"></ol>
<details id="raw-details" hidden><summary>Model output</summary><pre id="raw"></pre></details>
<footer>Requests go to this server's <a href="/openapi.json">HTTP API</a> through <code>@paligemma/sdk</code>.</footer>
<script type="module" src="${OPERATIONS_ROUTES.playgroundScript.path}"></script>
</body>
</html>
`;
