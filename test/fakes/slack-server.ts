import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Slack Web API, for tests: a real HTTP server that answers the methods
 * the bot calls the way Slack does (form or JSON bodies, `{ok: …}` answers, 429 with Retry-After,
 * the three-step external file upload, response_url posts) and records every call, so tests assert
 * on what Slack would have received. It also checks Block Kit limits the way Slack refuses them.
 */

export interface RecordedSlackCall {
  method: string;
  /** Parsed arguments; JSON-encoded form fields (`blocks`, `view`) are decoded. */
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** The HTTP status the fake answered with (429 when rate limited). */
  status: number;
  /** What the fake answered (for 200s), e.g. the `ts` of a posted message. */
  response: Record<string, unknown>;
}

export interface RecordedResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface RecordedUpload {
  fileId: string;
  bytes: Buffer;
  at: number;
}

type Json = Record<string, unknown>;

const BLOCK_LIMITS = {
  message: 50,
  view: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  header: 150,
  button: 75,
  buttonValue: 2000,
  contextElements: 10,
  actionsElements: 25,
  total: 13_000,
};

/**
 * The first Block Kit limit `blocks` break, in words (`section 3 text is 3012 characters (limit
 * 3000)`), or undefined. Slack refuses such a message with `invalid_blocks`.
 */
export function blockKitProblem(blocks: unknown, maxBlocks: number): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > maxBlocks) return `${blocks.length} blocks (limit ${maxBlocks})`;
  const total = JSON.stringify(blocks).length;
  if (maxBlocks === BLOCK_LIMITS.message && total > BLOCK_LIMITS.total)
    return `blocks are ${total} characters (limit ${BLOCK_LIMITS.total})`;
  for (const [index, block] of (blocks as Json[]).entries()) {
    const where = `block ${index} (${String(block.type)})`;
    const text = (block.text as Json | undefined)?.text;
    if (block.type === 'section' && typeof text === 'string' && text.length > BLOCK_LIMITS.sectionText)
      return `${where} text is ${text.length} characters (limit ${BLOCK_LIMITS.sectionText})`;
    if (block.type === 'header' && typeof text === 'string' && text.length > BLOCK_LIMITS.header)
      return `${where} text is ${text.length} characters (limit ${BLOCK_LIMITS.header})`;
    if (Array.isArray(block.fields)) {
      if (block.fields.length > BLOCK_LIMITS.fields)
        return `${where} has ${block.fields.length} fields (limit ${BLOCK_LIMITS.fields})`;
      for (const field of block.fields as Json[])
        if (typeof field.text === 'string' && field.text.length > BLOCK_LIMITS.fieldText)
          return `${where} has a field of ${field.text.length} characters (limit ${BLOCK_LIMITS.fieldText})`;
    }
    const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
    if (block.type === 'context' && elements.length > BLOCK_LIMITS.contextElements)
      return `${where} has ${elements.length} elements (limit ${BLOCK_LIMITS.contextElements})`;
    if (block.type === 'actions' && elements.length > BLOCK_LIMITS.actionsElements)
      return `${where} has ${elements.length} elements (limit ${BLOCK_LIMITS.actionsElements})`;
    const accessory = block.accessory as Json | undefined;
    for (const element of accessory ? [...elements, accessory] : elements) {
      if (element.type !== 'button') continue;
      const label = (element.text as Json | undefined)?.text;
      if (typeof label === 'string' && label.length > BLOCK_LIMITS.button)
        return `${where} has a button label of ${label.length} characters (limit ${BLOCK_LIMITS.button})`;
      if (typeof element.value === 'string' && element.value.length > BLOCK_LIMITS.buttonValue)
        return `${where} has a button value of ${element.value.length} characters (limit ${BLOCK_LIMITS.buttonValue})`;
    }
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** The file inside an upload: the SDK sends multipart/form-data; a raw body is the file itself. */
function fileBytesOf(request: IncomingMessage, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(request.headers['content-type'] ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return raw;
  const delimiter = Buffer.from(`--${marker}`);
  const partStart = raw.indexOf(delimiter);
  const headersEnd = raw.indexOf('\r\n\r\n', partStart);
  const partEnd = raw.indexOf(Buffer.from(`\r\n--${marker}`), headersEnd);
  if (partStart === -1 || headersEnd === -1 || partEnd === -1) return raw;
  return raw.subarray(headersEnd + 4, partEnd);
}

function decodeParams(request: IncomingMessage, raw: Buffer): Json {
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      return JSON.parse(raw.toString('utf8')) as Json;
    } catch {
      return {};
    }
  }
  const params: Json = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    // The SDK form-encodes objects as JSON strings (blocks, view, files); decode them for assertions.
    if ((value.startsWith('[') || value.startsWith('{')) && value.length > 1) {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    params[key] = value;
  }
  return params;
}

export class FakeSlackServer {
  readonly calls: RecordedSlackCall[] = [];
  readonly responseUrlPosts: RecordedResponseUrlPost[] = [];
  readonly uploads: RecordedUpload[] = [];
  /**
   * Every message or view that broke a Block Kit limit, wherever it went (Web API, response_url,
   * a command's ack via `checkMessage`). `reset()` and `assertWithinBlockKitLimits()` fail on any.
   */
  readonly blockKitViolations: string[] = [];
  private server: Server | undefined;
  private baseUrl = '';
  private nextTs = 1_700_000_000;
  private nextFileId = 1;
  private nextResponseUrlId = 1;
  private readonly rateLimits = new Map<string, { remaining: number; retryAfterSeconds: number }>();
  private readonly platformErrors = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  /** Delay before answering any Web API call (a slow Slack). */
  latencyMs = 0;

  get url(): string {
    return this.baseUrl;
  }

  /** What the bot's WebClient uses as `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Closes the server; then fails when any message it saw broke a Block Kit limit (every suite checks). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.assertWithinBlockKitLimits();
  }

  /** A fresh response_url for a slash command or interaction payload. */
  newResponseUrl(): string {
    const id = String(this.nextResponseUrlId++);
    return `${this.baseUrl}/response/${id}`;
  }

  /** The next `count` calls to `method` answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, retryAfterSeconds: number, count = 1): void {
    this.rateLimits.set(method, { remaining: count, retryAfterSeconds });
  }

  /** Calls to `method` answer `{ok: false, error}` (e.g. `not_in_channel`) until cleared. */
  failMethod(method: string, error: string | undefined): void {
    if (error === undefined) this.platformErrors.delete(method);
    else this.platformErrors.set(method, error);
  }

  callsTo(method: string, options: { includeRateLimited?: boolean } = {}): RecordedSlackCall[] {
    return this.calls.filter(
      (call) => call.method === method && (options.includeRateLimited || call.status === 200),
    );
  }

  /** Records a Block Kit problem in a message that did not pass through this server (an ack). */
  checkMessage(where: string, blocks: unknown, maxBlocks = BLOCK_LIMITS.message): string | undefined {
    const problem = blockKitProblem(blocks, maxBlocks);
    if (problem !== undefined) this.blockKitViolations.push(`${where}: ${problem}`);
    return problem;
  }

  /** Throws when any message so far broke a Block Kit limit, naming each. */
  assertWithinBlockKitLimits(): void {
    if (this.blockKitViolations.length === 0) return;
    const listed = this.blockKitViolations.join('\n');
    this.blockKitViolations.length = 0;
    throw new Error(`Messages broke Block Kit limits:\n${listed}`);
  }

  /** Clears what was recorded; fails (after clearing) when a message broke a Block Kit limit. */
  reset(): void {
    const violations = [...this.blockKitViolations];
    this.blockKitViolations.length = 0;
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.uploads.length = 0;
    this.rateLimits.clear();
    this.platformErrors.clear();
    this.latencyMs = 0;
    if (violations.length > 0) throw new Error(`Messages broke Block Kit limits:\n${violations.join('\n')}`);
  }

  /** Resolves once `predicate` holds (checked after every recorded call), or rejects after `timeoutMs`. */
  async waitFor<T>(
    predicate: () => T | undefined | false,
    timeoutMs = 5000,
    description = 'condition',
  ): Promise<T> {
    const immediate = predicate();
    if (immediate) return immediate;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      // Also poll: predicates may watch state outside this server (the fake API, the bot's tasks).
      const poller = setInterval(check, 20);
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${description}; calls: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poller);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private send(
    response: ServerResponse,
    status: number,
    body: Json | string,
    headers: Record<string, string> = {},
  ): void {
    const isJson = typeof body !== 'string';
    response.writeHead(status, {
      'content-type': isJson ? 'application/json; charset=utf-8' : 'text/plain',
      ...headers,
    });
    response.end(isJson ? JSON.stringify(body) : body);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.baseUrl).pathname;
    const raw = await readBody(request);

    if (path.startsWith('/response/')) {
      const body = decodeParams({ headers: { 'content-type': 'application/json' } } as IncomingMessage, raw);
      this.responseUrlPosts.push({ id: path.slice('/response/'.length), body, at: Date.now() });
      const problem = this.checkMessage(`response_url ${path}`, body.blocks);
      this.send(response, problem ? 400 : 200, problem ? 'invalid_blocks' : 'ok');
      this.notify();
      return;
    }

    if (path.startsWith('/upload/')) {
      this.uploads.push({
        fileId: path.slice('/upload/'.length),
        bytes: fileBytesOf(request, raw),
        at: Date.now(),
      });
      this.send(response, 200, `OK - ${raw.length}`);
      this.notify();
      return;
    }

    if (!path.startsWith('/api/')) {
      this.send(response, 404, 'not found');
      return;
    }
    const method = path.slice('/api/'.length);
    const params = decodeParams(request, raw);
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ')
      ? authorization.slice(7)
      : (params.token as string | undefined);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    const limit = this.rateLimits.get(method);
    if (limit !== undefined && limit.remaining > 0) {
      limit.remaining -= 1;
      this.calls.push({
        method,
        params,
        token,
        at: Date.now(),
        status: 429,
        response: { ok: false, error: 'ratelimited' },
      });
      this.send(
        response,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(limit.retryAfterSeconds) },
      );
      this.notify();
      return;
    }
    const answer = this.answer(method, params, token);
    this.calls.push({ method, params, token, at: Date.now(), status: 200, response: answer });
    this.send(response, 200, answer);
    this.notify();
  }

  private answer(method: string, params: Json, token: string | undefined): Json {
    if (token === undefined || !token.startsWith('xoxb-')) return { ok: false, error: 'not_authed' };
    const platformError = this.platformErrors.get(method);
    if (platformError !== undefined) return { ok: false, error: platformError };
    const channel = typeof params.channel === 'string' ? params.channel : undefined;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'floorplan',
          team_id: 'T0FAKE',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        if (this.checkMessage(method, params.blocks)) return { ok: false, error: 'invalid_blocks' };
        const ts = `${this.nextTs++}.000100`;
        return { ok: true, channel, ts, message: { text: params.text, blocks: params.blocks, ts } };
      }
      case 'chat.update': {
        if (this.checkMessage(method, params.blocks)) return { ok: false, error: 'invalid_blocks' };
        if (channel === undefined || typeof params.ts !== 'string')
          return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, ts: params.ts, text: params.text };
      }
      case 'chat.postEphemeral': {
        if (this.checkMessage(method, params.blocks)) return { ok: false, error: 'invalid_blocks' };
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      }
      case 'views.open':
      case 'views.publish': {
        const view = params.view as Json | undefined;
        if (view === undefined) return { ok: false, error: 'invalid_arguments' };
        if (method === 'views.open' && typeof params.trigger_id !== 'string')
          return { ok: false, error: 'invalid_trigger_id' };
        if (this.checkMessage(method, view.blocks, BLOCK_LIMITS.view))
          return { ok: false, error: 'invalid_blocks' };
        return { ok: true, view: { id: `V${this.nextTs++}`, ...view } };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${this.nextFileId++}`;
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(params.files) ? (params.files as Json[]) : [];
        const missing = files.find((file) => !this.uploads.some((upload) => upload.fileId === file.id));
        if (missing !== undefined) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          files: files.map((file) => ({ id: file.id, title: file.title, name: file.title })),
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
