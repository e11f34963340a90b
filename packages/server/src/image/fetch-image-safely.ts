/**
 * Fetches an image URL for a request without letting the URL reach the server's own network (SSRF): DNS is
 * resolved here, every address is checked, and the connection goes to the checked address (no second lookup,
 * so no DNS-rebinding gap). Redirects are re-checked hop by hop; bytes are counted while streaming.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Socket, connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ServiceError } from '../errors/service-error.js';
import { forbiddenAddressReason } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface FetchImageOptions {
  /** Bytes accepted; the stream is cut (413) as soon as more arrive, whatever Content-Length said. */
  maxBytes: number;
  connectTimeoutMs: number;
  /** For the whole fetch, redirects included. */
  totalTimeoutMs: number;
  maxRedirects: number;
  /** Skip the address check (tests, private deployments). @default false */
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal;
  /** DNS, the outer edge: hostname → addresses. @default node:dns `lookup(hostname, { all: true })` */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Opens the TCP connection to an address that passed the check. @default node:net `connect` */
  connect?: (target: { address: string; port: number }) => Socket;
}

const defaultLookup = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });
const defaultConnect = ({ address, port }: { address: string; port: number }) => netConnect({ host: address, port });

/** Statuses that carry a Location to follow. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The bytes behind `url`. Refusals are {@link ServiceError}s: 400 `url_forbidden` (scheme or address), 413
 * `payload_too_large`, 422 `url_fetch_failed` (DNS, connect, status, redirects, timeouts). An abort of `signal`
 * rejects with the signal's reason.
 * @example const bytes = await fetchImageSafely('https://example.com/cat.jpg', { maxBytes: 10e6, connectTimeoutMs: 5000, totalTimeoutMs: 15000, maxRedirects: 3 })
 */
export async function fetchImageSafely(url: string, options: FetchImageOptions): Promise<Uint8Array> {
  const controller = new AbortController();
  const timeout = new ServiceError('url_fetch_failed', `image URL took longer than ${options.totalTimeoutMs} ms to fetch`);
  const timer = setTimeout(() => controller.abort(timeout), options.totalTimeoutMs);
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    options.signal?.throwIfAborted();
    let current = new URL(url);
    for (let redirects = 0; ; redirects++) {
      const response = await fetchOnce(current, options, controller.signal);
      if (!('location' in response)) return response.bytes;
      if (redirects >= options.maxRedirects) {
        throw new ServiceError('url_fetch_failed', `image URL redirected more than ${options.maxRedirects} times`);
      }
      current = new URL(response.location, current);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** One hop: check, connect to the checked address, then either a redirect target or the body. */
async function fetchOnce(
  url: URL,
  options: FetchImageOptions,
  signal: AbortSignal,
): Promise<{ location: string } | { bytes: Uint8Array }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServiceError('url_forbidden', `image URL scheme ${url.protocol} is not allowed; use http or https`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const address = await resolveCheckedAddress(hostname, options);
  signal.throwIfAborted();
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const connect = options.connect ?? defaultConnect;

  return new Promise((resolve, reject) => {
    let connectTimer: ReturnType<typeof setTimeout> | undefined;
    const createConnection = () => {
      const socket = connect({ address, port });
      connectTimer = setTimeout(
        () => socket.destroy(new ServiceError('url_fetch_failed', `could not connect to the image host within ${options.connectTimeoutMs} ms`)),
        options.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
      if (!secure) return socket;
      // TLS over the pinned socket; the certificate is checked against the URL's hostname, and SNI names it.
      return tlsConnect({ socket, host: hostname, servername: isIP(hostname) ? undefined : hostname });
    };
    const requester = secure ? httpsRequest : httpRequest;
    const request = requester({
      protocol: url.protocol,
      hostname,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { Accept: 'image/*', 'User-Agent': 'paligemma-server' },
      createConnection,
      signal,
    });
    request.on('error', (error) => {
      clearTimeout(connectTimer);
      reject(signal.aborted ? signal.reason : asFetchError(error, url));
    });
    request.on('response', (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.resume();
        resolve({ location });
        return;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        reject(new ServiceError('url_fetch_failed', `image URL answered HTTP ${status}`));
        return;
      }
      readLimited(response, options.maxBytes).then((bytes) => resolve({ bytes }), (error) => reject(signal.aborted ? signal.reason : error));
    });
    request.end();
  });
}

/** The address to connect to, after DNS; every address the name resolves to must pass the policy. */
async function resolveCheckedAddress(hostname: string, options: FetchImageOptions): Promise<string> {
  let addresses: ResolvedAddress[];
  if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) }];
  else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(hostname);
    } catch (error) {
      throw new ServiceError('url_fetch_failed', `could not resolve image host ${hostname}`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new ServiceError('url_fetch_failed', `image host ${hostname} has no addresses`);
  if (!options.allowPrivateAddresses) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) {
        const where = hostname === address ? `image URL address ${address} is` : `image URL host ${hostname} resolves to ${address},`;
        throw new ServiceError('url_forbidden', `${where} ${reason}; only public addresses may be fetched`);
      }
    }
  }
  return addresses[0].address;
}

/** Reads a response body, counting bytes as they arrive. */
function readLimited(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        // Reject before destroying: destroying emits 'aborted', which must not win with a vaguer error.
        reject(new ServiceError('payload_too_large', `image at URL is larger than the ${maxBytes}-byte limit`));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, total))));
    response.on('error', reject);
    response.on('aborted', () => reject(new ServiceError('url_fetch_failed', 'image URL connection closed before the body ended')));
  });
}

function asFetchError(error: unknown, url: URL): ServiceError {
  if (ServiceError.isInstance(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ServiceError('url_fetch_failed', `could not fetch image from ${url.host}: ${detail}`, { cause: error });
}
