/** A real image host on 127.0.0.1 that misbehaves on purpose, one behaviour per path, and counts its open sockets. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

/** How often a trickling host sends its next byte: slow enough that no sane total timeout is ever reached by data. */
const TRICKLE_INTERVAL_MS = 200;

type Behaviour = (request: IncomingMessage, response: ServerResponse, image: Uint8Array) => void;

/** Writes a response by hand on the socket, for answers node:http refuses to produce. */
function writeRaw(response: ServerResponse, text: string | Uint8Array, then: 'end' | 'reset' | 'hold' = 'end'): void {
  const socket = response.socket as Socket;
  socket.write(text);
  if (then === 'end') socket.end();
  if (then === 'reset') socket.resetAndDestroy();
}

function repeatEvery(response: ServerResponse, milliseconds: number, action: () => void): void {
  const timer = setInterval(action, milliseconds);
  response.on('close', () => clearInterval(timer));
  response.socket?.on('close', () => clearInterval(timer));
}

/** The behaviours by path. Each says what a real broken or hostile host does. */
export const FAULTY_BEHAVIOURS: Record<string, Behaviour> = {
  '/ok.jpg': (_request, response, image) => response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(image),
  /** Accepts the connection and the request, then never answers. */
  '/stall': () => {},
  /** Sends headers promising the image, then nothing. */
  '/stall-after-headers': (_request, response, image) => {
    response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(image.length) });
    response.flushHeaders();
  },
  /** One byte of JPEG every 200 ms, forever (slowloris in reverse). */
  '/trickle': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'image/jpeg' });
    repeatEvery(response, TRICKLE_INTERVAL_MS, () => response.write(Buffer.from([0xff])));
  },
  /** Promises more bytes than it sends, then closes. */
  '/content-length-too-long': (_request, response, image) =>
    writeRaw(response, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${image.length * 2}\r\n\r\n`), image])),
  /** Promises fewer bytes than it sends: the client reads a truncated JPEG. */
  '/content-length-too-short': (_request, response, image) =>
    writeRaw(response, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${Math.floor(image.length / 2)}\r\n\r\n`), image])),
  /** A Content-Length that is not a number. */
  '/content-length-garbage': (_request, response, image) =>
    writeRaw(response, Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: lots\r\n\r\n'), image])),
  /** TCP reset as soon as the request arrives. */
  '/reset': (_request, response) => (response.socket as Socket).resetAndDestroy(),
  /** Headers and half the image, then a reset. */
  '/reset-mid-body': (_request, response, image) =>
    writeRaw(response, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${image.length}\r\n\r\n`), image.subarray(0, image.length / 2)]), 'reset'),
  /** Closes without a byte of response. */
  '/close-silently': (_request, response) => (response.socket as Socket).end(),
  /** Not HTTP at all. */
  '/not-http': (_request, response) => writeRaw(response, 'SSH-2.0-OpenSSH_9.6\r\n'),
  /** 64 KiB blocks as fast as the socket takes them, forever. */
  '/endless': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'image/jpeg' });
    const block = Buffer.alloc(64 * 1024, 0xff);
    const pump = () => {
      while (!response.destroyed && response.write(block));
    };
    response.on('drain', pump);
    pump();
  },
  /** 20 MB of zeros gzipped to ~20 KB, labelled gzip: must not be inflated, only sniffed (and refused). */
  '/gzip-bomb': (_request, response) =>
    response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Encoding': 'gzip' }).end(gzipSync(Buffer.alloc(20_000_000))),
  '/html': (_request, response) => response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end('<!doctype html><script>alert(1)</script>'),
  '/redirect-loop': (_request, response) => response.writeHead(302, { Location: '/redirect-loop' }).end(),
  '/error-500': (_request, response) => response.writeHead(500).end('boom'),
};

export interface FaultyImageHost {
  /** `http://127.0.0.1:port` */
  origin: string;
  /** Sockets open right now: a server that abandons a fetch must still close its connection. */
  openSockets(): number;
  close(): Promise<void>;
}

/**
 * Starts the host. Every path of {@link FAULTY_BEHAVIOURS} serves its behaviour with `image` as the picture.
 * @example const host = await startFaultyImageHost(jpegBytes); fetch(`${host.origin}/stall`) …
 */
export async function startFaultyImageHost(image: Uint8Array): Promise<FaultyImageHost> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const behaviour = FAULTY_BEHAVIOURS[new URL(request.url ?? '/', 'http://host').pathname];
    if (behaviour) behaviour(request, response, image);
    else response.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // resets are what some paths do on purpose
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
