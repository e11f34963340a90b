/** `@paligemma/core/tasks`: the task registry — prompts, token budgets and result shaping; pure (no ONNX Runtime). */
export { type ResultContext, TASKS, type TaskDefinition, type TaskInputOf, type TaskName, type TaskResultOf, buildTaskPrompt } from './task-registry.js';
