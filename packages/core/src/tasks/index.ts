/** Task prompts. */
export { type TaskInputs, type TaskName, buildTaskPrompt } from './task-prompts.js';
