/** Every route of the route table as `METHOD path`, for checks that nothing is missed. */
import { OPENAI_ROUTES } from './openai-routes.js';
import { OPERATIONS_ROUTES, TASK_ROUTES } from './routes.js';

/**
 * Every route, task, OpenAI-compatible and operational, as `METHOD path` (e.g. `POST /v1/caption`). Apart from the
 * table so the client, which reads `TASK_ROUTES` alone, does not bundle the OpenAI-compatible schemas.
 */
export const ROUTE_KEYS: readonly string[] = [...Object.values(TASK_ROUTES), ...Object.values(OPENAI_ROUTES), ...Object.values(OPERATIONS_ROUTES)].map(
  (route) => `${route.method} ${route.path}`,
);
