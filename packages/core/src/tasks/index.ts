/** `@paligemma/core/tasks`: the task registry — prompts, token budgets and result shaping; pure (no ONNX Runtime). */
export {
  type RecognizedTaskPrompt, type ResultContext, TASKS, type TaskDefinition, type TaskInputOf, type TaskName, type TaskResultOf, buildTaskPrompt,
  recognizeTaskPrompt,
} from './task-registry.js';
