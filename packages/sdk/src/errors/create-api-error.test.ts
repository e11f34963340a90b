import { describe, expect, it } from 'vitest';
import { AbortError } from './abort-error.js';
import { APIError } from './api-error.js';
import { AuthenticationError } from './authentication-error.js';
import { ConnectionError } from './connection-error.js';
import { createAPIError } from './create-api-error.js';
import { InvalidRequestError } from './invalid-request-error.js';
import { PaliGemmaError } from './paligemma-error.js';
import { RateLimitError } from './rate-limit-error.js';
import { ServerError } from './server-error.js';
import { TimeoutError } from './timeout-error.js';

function errorFor(status: number | undefined): APIError {
  return createAPIError({
    status,
    code: 'some_code',
    message: 'went wrong',
    requestId: 'req-1',
    headers: new Headers({ 'x-request-id': 'req-1' }),
    body: { error: { code: 'some_code', message: 'went wrong' } },
    url: 'http://127.0.0.1/v1/caption',
  });
}

describe('createAPIError', () => {
  it.each<[number | undefined, string, boolean]>([
    [400, 'InvalidRequestError', false],
    [401, 'AuthenticationError', false],
    [403, 'APIError', false],
    [404, 'InvalidRequestError', false],
    [408, 'APIError', true],
    [409, 'APIError', true],
    [413, 'InvalidRequestError', false],
    [415, 'InvalidRequestError', false],
    [422, 'InvalidRequestError', false],
    [429, 'RateLimitError', true],
    [499, 'APIError', false],
    [500, 'ServerError', true],
    [503, 'ServerError', true],
    [504, 'ServerError', true],
    [undefined, 'APIError', false],
  ])('%s → %s (retryable: %s)', (status, name, retryable) => {
    const error = errorFor(status);
    expect(error.name).toBe(name);
    expect(error.isRetryable).toBe(retryable);
    expect(error).toMatchObject({ status, code: 'some_code', requestId: 'req-1' });
    expect(APIError.isInstance(error)).toBe(true);
    expect(PaliGemmaError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
  });

  it('each isInstance recognises its own class and subclasses only', () => {
    const classes = [AuthenticationError, InvalidRequestError, RateLimitError, ServerError];
    const errors = [errorFor(401), errorFor(400), errorFor(429), errorFor(500)];
    classes.forEach((ErrorClass, classIndex) => {
      errors.forEach((error, errorIndex) => expect(ErrorClass.isInstance(error)).toBe(classIndex === errorIndex));
    });
    const timeout = new TimeoutError({ url: 'http://x', timeoutMs: 5 });
    expect([ConnectionError.isInstance(timeout), TimeoutError.isInstance(timeout), APIError.isInstance(timeout)]).toEqual([true, true, false]);
    const abort = new AbortError();
    expect([PaliGemmaError.isInstance(abort), ConnectionError.isInstance(abort)]).toEqual([true, false]);
    expect(PaliGemmaError.isInstance(new Error('plain'))).toBe(false);
    expect(PaliGemmaError.isInstance(null)).toBe(false);
  });

  it('recognises an error from another copy of the SDK by its Symbol.for marker', () => {
    const foreign = Object.assign(new Error('from a second copy'), {
      [Symbol.for('paligemma.error')]: true,
      [Symbol.for('paligemma.error.api')]: true,
      [Symbol.for('paligemma.error.rate-limit')]: true,
    });
    expect(RateLimitError.isInstance(foreign)).toBe(true);
    expect(ServerError.isInstance(foreign)).toBe(false);
  });

  it('says status, code, message and request id in its message', () => {
    expect(errorFor(429).message).toBe('429 some_code: went wrong (request req-1)');
    expect(errorFor(undefined).message).toBe('stream error some_code: went wrong (request req-1)');
  });
});
