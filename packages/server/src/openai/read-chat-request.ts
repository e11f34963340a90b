/** Reads and validates a chat completion request body (JSON only), on the Node app and at the edge alike. */
import type { Context } from 'hono';
import { type ChatCompletionRequest, ChatCompletionRequestSchema } from '@paligemma/sdk/contract';
import { parseWith, readJsonBody } from '../routes/read-task-request.js';

/**
 * The request, or 400 `invalid_request` naming the field at fault (also as OpenAI's `param`). Unknown fields are kept
 * and ignored, as OpenAI-style servers do.
 * @example const request = await readChatRequest(c)
 */
export async function readChatRequest(c: Context): Promise<ChatCompletionRequest> {
  const body = await readJsonBody(c, 'send the chat completion request as application/json');
  return parseWith(ChatCompletionRequestSchema, body) as ChatCompletionRequest;
}
