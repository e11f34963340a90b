/** Reads and validates a chat completion request body (JSON only), on the Node app and at the edge alike. */
import type { Context } from 'hono';
import { type ChatCompletionRequest, ChatCompletionRequestSchema } from '@paligemma/sdk/contract';
import { ServiceError } from '../errors/service-error.js';
import { describeIssues } from '../routes/describe-issues.js';
import { readJsonBody } from '../routes/read-task-request.js';

/**
 * The request, or 400 `invalid_request` naming the field at fault (also as OpenAI's `param`). Unknown fields are kept
 * and ignored, as OpenAI-style servers do.
 * @example const request = await readChatRequest(c)
 */
export async function readChatRequest(c: Context): Promise<ChatCompletionRequest> {
  const body = await readJsonBody(c, 'send the chat completion request as application/json');
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const { message, param } = describeIssues(parsed.error.issues);
  throw new ServiceError('invalid_request', message, { param });
}
