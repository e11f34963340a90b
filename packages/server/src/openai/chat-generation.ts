/**
 * What a chat completion request asks of PaliGemma, which answers one prompt about one image: the prompt is the text
 * of the last user message, the image the most recent `image_url` of the conversation (clients resend the history,
 * so an image given in an earlier turn still counts), system and other messages are not read. Pure: the Node app
 * and the edge gateway both use it.
 */
import { recognizeTaskPrompt } from '@paligemma/core/tasks';
import {
  type ChatCompletionRequest, type ChatMessage, type ImageSource, ImageUrlSourceSchema, type SamplingOptions, promptTextProblem,
} from '@paligemma/sdk/contract';
import type { ServerConfig } from '../config.js';
import { ServiceError } from '../errors/service-error.js';

/** A chat completion as a PaliGemma generation. */
export interface ChatGeneration {
  /** The last user message's text, trimmed: the prompt exactly as `/v1/generate` takes it. */
  prompt: string;
  image: ImageSource;
  /**
   * `detect` and `segment` prompts run as those tasks (same prompt, same tokens) so the answer also carries their
   * parsed objects; every other prompt runs as `generate`.
   */
  task: 'generate' | 'detect' | 'segment';
  input: { prompt: string } | { labels: string[] };
  /** Absent: the task's own default budget. */
  maxNewTokens: number | undefined;
  sampling: SamplingOptions;
  stop: string[] | undefined;
  stream: boolean;
  includeUsage: boolean;
}

/** The server limits a chat request is held to (the same settings as the native routes). */
export type ChatLimits = Pick<ServerConfig, 'maxLabels' | 'maxQuestionLength' | 'maxNewTokensCap'>;

/**
 * Reads the generation out of a validated request: 400 `invalid_request` for a conversation PaliGemma cannot answer
 * (no user text, no image, two images in one message), 422 `limit_exceeded` beyond the server's limits.
 * @example const generation = chatGeneration(request, config); generation.prompt // 'caption en'
 */
export function chatGeneration(request: ChatCompletionRequest, limits: ChatLimits): ChatGeneration {
  const { messages } = request;
  const prompt = lastUserText(messages);
  const image = latestImage(messages);
  const recognized = recognizeTaskPrompt(prompt);
  const labeled = recognized?.task === 'detect' || recognized?.task === 'segment' ? recognized : undefined;
  if (labeled && labeled.input.labels.length > limits.maxLabels) {
    throw exceeded(`messages: the ${labeled.task} prompt names ${labeled.input.labels.length} labels; this server allows at most ${limits.maxLabels} (PALIGEMMA_MAX_LABELS)`, 'messages');
  }
  const budgetParam = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const maxNewTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (maxNewTokens !== undefined && maxNewTokens > limits.maxNewTokensCap) {
    throw exceeded(`${budgetParam}: ${maxNewTokens} requested; this server allows at most ${limits.maxNewTokensCap} (PALIGEMMA_MAX_NEW_TOKENS)`, budgetParam);
  }
  const stop = request.stop == null ? undefined : [request.stop].flat();
  const longStop = stop?.find((sequence) => sequence.length > limits.maxQuestionLength);
  if (longStop !== undefined) {
    throw exceeded(`stop: a stop sequence of ${longStop.length} characters; this server allows at most ${limits.maxQuestionLength} (PALIGEMMA_MAX_QUESTION_LENGTH)`, 'stop');
  }
  if (prompt.length > limits.maxQuestionLength) {
    throw exceeded(`messages: the prompt (the last user message's text) is ${prompt.length} characters; this server allows at most ${limits.maxQuestionLength} (PALIGEMMA_MAX_QUESTION_LENGTH)`, 'messages');
  }
  return {
    prompt,
    image,
    task: labeled?.task ?? 'generate',
    input: labeled ? { labels: labeled.input.labels } : { prompt },
    maxNewTokens,
    sampling: {
      temperature: request.temperature ?? undefined,
      topP: request.top_p ?? undefined,
      // vLLM's convention: -1 and 0 mean every token.
      topK: request.top_k != null && request.top_k > 0 ? request.top_k : undefined,
      seed: request.seed ?? undefined,
    },
    stop,
    stream: request.stream === true,
    includeUsage: request.stream === true && request.stream_options?.include_usage === true,
  };
}

/**
 * Whether the answer is fully determined by the request (greedy decoding), so a cache may keep it.
 * @example isGreedy({ temperature: 0 }) // true
 */
export function isGreedy(sampling: Pick<SamplingOptions, 'temperature'>): boolean {
  return sampling.temperature === undefined || sampling.temperature === 0;
}

/** The text of the last user message: its string content, or its text parts joined by spaces (a prompt is one line). */
function lastUserText(messages: ChatMessage[]): string {
  let index = messages.length - 1;
  while (index >= 0 && messages[index].role !== 'user') index--;
  if (index === -1) throw invalid('messages: there is no user message; the prompt is the last user message\'s text', 'messages');
  const { content } = messages[index];
  const text = (typeof content === 'string' ? content : (content ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ')).trim();
  if (text.length === 0) {
    throw invalid(`messages.${index}.content: the last user message has no text; PaliGemma needs a prompt such as "caption en", "detect cat ; dog" or a question`, 'messages');
  }
  const problem = promptTextProblem(text, `messages.${index}.content: the prompt`);
  if (problem) throw invalid(problem, 'messages');
  return text;
}

/** The most recent image of the conversation; more than one in a message is refused. */
function latestImage(messages: ChatMessage[]): ImageSource {
  let latest: { url: string; at: string } | undefined;
  messages.forEach((message, index) => {
    const images = Array.isArray(message.content) ? message.content.flatMap((part) => (part.type === 'image_url' ? [part.image_url.url] : [])) : [];
    if (images.length > 1) {
      throw invalid(`messages.${index}.content: ${images.length} images in one message; PaliGemma takes one image (send one image_url)`, 'messages');
    }
    if (images.length === 1) latest = { url: images[0], at: `messages.${index}.content` };
  });
  if (!latest) throw invalid('messages: no image_url in the conversation; PaliGemma answers about one image, so send one image_url part', 'messages');
  if (/^data:/i.test(latest.url)) return { data: latest.url };
  if (!ImageUrlSourceSchema.safeParse({ url: latest.url }).success) {
    throw invalid(`${latest.at}: image_url.url must be an http(s) URL or a base64 data: URI`, 'messages');
  }
  return { url: latest.url };
}

function invalid(message: string, param: string): ServiceError {
  return new ServiceError('invalid_request', message, { param });
}

function exceeded(message: string, param: string): ServiceError {
  return new ServiceError('limit_exceeded', message, { param });
}
