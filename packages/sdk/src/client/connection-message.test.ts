import { describe, expect, it } from 'vitest';
import { connectionMessage, currentPageOrigin } from './connection-message.js';

const failedToFetch = new TypeError('Failed to fetch');

describe('connectionMessage', () => {
  it('says what the runtime said, with the cause undici keeps apart', () => {
    const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(connectionMessage('http://127.0.0.1:9/v1/caption', error, undefined)).toBe(
      'could not reach http://127.0.0.1:9/v1/caption (fetch failed: connect ECONNREFUSED 127.0.0.1:9)',
    );
  });

  it('outside a page (Node here) has no page origin and never mentions CORS', () => {
    expect(currentPageOrigin()).toBeUndefined();
    expect(connectionMessage('http://localhost:8080/v1/caption', failedToFetch)).not.toMatch(/CORS/);
  });

  it('in a page on another origin names CORS and the setting that allows the page', () => {
    const message = connectionMessage('http://localhost:8080/v1/caption', failedToFetch, 'http://127.0.0.1:5173');
    expect(message).toMatch(/^could not reach http:\/\/localhost:8080\/v1\/caption \(Failed to fetch\); /);
    expect(message).toContain('the page (http://127.0.0.1:5173) is on another origin, so the browser may have blocked the request by CORS');
    expect(message).toContain('PALIGEMMA_CORS_ORIGINS=http://127.0.0.1:5173');
  });

  it('in a page on the server\'s own origin (relative URLs included) does not mention CORS', () => {
    expect(connectionMessage('http://localhost:8080/v1/caption', failedToFetch, 'http://localhost:8080')).not.toMatch(/CORS/);
    expect(connectionMessage('/v1/caption', failedToFetch, 'http://localhost:8080')).not.toMatch(/CORS/);
  });

  it('for a page with the opaque origin "null" (file:) suggests *, the only setting that admits it', () => {
    expect(connectionMessage('http://localhost:8080/v1/caption', failedToFetch, 'null')).toContain('PALIGEMMA_CORS_ORIGINS=*');
  });
});
