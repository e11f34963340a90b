/** The request limits a server sets beyond the contract's own rules; the Node app and the edge gateway both apply them. */
import type { ServerConfig } from '../config.js';
import { ServiceError } from '../errors/service-error.js';

/** Request fields the server caps. */
export interface LimitedFields {
  labels?: string[];
  question?: string;
  prompt?: string;
  maxNewTokens?: number;
}

/**
 * 422 `limit_exceeded` when a request asks for more than this server allows; the message names the setting.
 * @example enforceLimits({ labels: ['cat'], maxNewTokens: 64 }, config)
 */
export function enforceLimits(fields: LimitedFields, config: Pick<ServerConfig, 'maxLabels' | 'maxQuestionLength' | 'maxNewTokensCap'>): void {
  const exceeded = (message: string) => new ServiceError('limit_exceeded', message);
  if (fields.labels && fields.labels.length > config.maxLabels) {
    throw exceeded(`labels: ${fields.labels.length} labels given; this server allows at most ${config.maxLabels} (PALIGEMMA_MAX_LABELS)`);
  }
  for (const name of ['question', 'prompt'] as const) {
    const text = fields[name];
    if (text !== undefined && text.length > config.maxQuestionLength) {
      throw exceeded(`${name}: ${text.length} characters; this server allows at most ${config.maxQuestionLength} (PALIGEMMA_MAX_QUESTION_LENGTH)`);
    }
  }
  if (fields.maxNewTokens !== undefined && fields.maxNewTokens > config.maxNewTokensCap) {
    throw exceeded(`maxNewTokens: ${fields.maxNewTokens} requested; this server allows at most ${config.maxNewTokensCap} (PALIGEMMA_MAX_NEW_TOKENS)`);
  }
}
