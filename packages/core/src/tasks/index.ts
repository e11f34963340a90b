/** Tasks: prompts, token budgets and result shaping, one registry entry each. */
export { type ResultContext, TASKS, type TaskDefinition, type TaskInputOf, type TaskName, type TaskResultOf, buildTaskPrompt } from './task-registry.js';
