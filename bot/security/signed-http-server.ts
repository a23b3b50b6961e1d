import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from '@slack/bolt';
import { MAX_CLOCK_SKEW_SECONDS, verifySlackSignature } from './request-signature';
import { SeenKeys } from './seen-keys';

export interface SignedSlackServerOptions {
  signingSecret: string;
  /** Paths Slack posts to (events, commands and interactivity share one by default). */
  endpoints: readonly string[];
  /** Bolt's HTTPReceiver request listener; it sees only requests that passed our checks. */
  boltRequestListener: RequestListener;
  logger: Logger;
  bodyLimitBytes?: number;
  nowSeconds?: () => number;
}

const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

async function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > limitBytes) throw new BodyTooLargeError(`body over ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(response: ServerResponse, status: number, body = ''): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}

/**
 * The HTTP front door. Verifies every Slack request ourselves (both directions of clock skew, and
 * exact replays of a signature already used) before Bolt sees it, then hands Bolt the request with
 * the raw body already buffered: Bolt's receiver reuses a `rawBody` it finds instead of re-reading.
 */
export function createSignedSlackServer(options: SignedSlackServerOptions): Server {
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  // A signature is only valid inside the skew window, so remembering it for twice that long suffices.
  const usedSignatures = new SeenKeys(2 * MAX_CLOCK_SKEW_SECONDS * 1000);

  const handleSlackPost = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(request, limit);
    } catch (error) {
      answer(response, error instanceof BodyTooLargeError ? 413 : 400);
      return;
    }
    // Slack's SSL check carries no signature and expects only a 200; it must never reach listeners.
    const form = new URLSearchParams(rawBody.toString('utf8'));
    if (form.get('ssl_check') === '1' && !form.has('command') && !form.has('payload')) {
      answer(response, 200);
      return;
    }
    const verdict = verifySlackSignature(
      options.signingSecret,
      {
        signature: headerValue(request, 'x-slack-signature'),
        timestamp: headerValue(request, 'x-slack-request-timestamp'),
        rawBody,
      },
      nowSeconds(),
    );
    if (!verdict.valid) {
      options.logger.warn(`Refused a Slack request: ${verdict.reason}`);
      answer(response, 401, 'invalid request signature');
      return;
    }
    // Slack re-signs every delivery, retries included; an identical signature is a captured replay.
    const signature = headerValue(request, 'x-slack-signature') ?? '';
    if (usedSignatures.checkAndRemember(signature)) {
      options.logger.warn('Refused a Slack request: replayed signature');
      answer(response, 401, 'replayed request');
      return;
    }
    Object.assign(request, { rawBody });
    options.boltRequestListener(request, response);
  };

  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/healthz') {
      answer(response, 200, 'ok');
      return;
    }
    if (request.method === 'POST' && options.endpoints.includes(path)) {
      handleSlackPost(request, response).catch((error: unknown) => {
        options.logger.error(`Slack request failed before dispatch: ${String(error)}`);
        answer(response, 500);
      });
      return;
    }
    answer(response, 404, 'not found');
  });
}
