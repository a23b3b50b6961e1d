import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../../runner/seeded-random';

/**
 * A faithful fake of vLLM's OpenAI-compatible streaming server on real HTTP (127.0.0.1, port 0):
 * `/v1/completions`, `/v1/chat/completions` and `/v1/models`, with chunks shaped like vLLM's
 * (chat's role-only first chunk, `continuous_usage_stats`, the trailing usage chunk, `[DONE]`).
 *
 * It is the ground truth for the runner's accuracy: every token-bearing message has a *scheduled*
 * time (receive + TTFT + gaps) and the log keeps both the scheduled and the actual emit times. One
 * scheduler emits everything that is due together, the way an engine step releases a token to every
 * sequence in the batch; it sleeps on a timer until shortly before the next due time and then polls,
 * because Node timers alone are late by up to a millisecond or more.
 */

export type FakeUsageMode =
  /** Honour `stream_options`: include_usage and continuous_usage_stats as the request asks (vLLM). */
  | 'as-requested'
  /** Only the trailing usage chunk, whatever the request asked. */
  | 'final-only'
  /** No usage at all (servers that ignore stream_options). */
  | 'none';

export type FakeRequestBehavior =
  | { kind: 'stream' }
  /** An HTTP error status with an OpenAI-style body (and a Retry-After header when given, e.g. for 429). */
  | { kind: 'http-error'; status: number; message: string; retryAfter?: string }
  /** `event: error` with this data after some chunks (vLLM-style JSON, any JSON, or plain text), then [DONE] when asked. */
  | { kind: 'error-event'; afterChunks: number; data: string; thenDone?: boolean }
  /** Send some chunks, then nothing more, holding the connection open. */
  | { kind: 'stall'; afterChunks: number }
  /** A well-formed stream that ends after this many tokens although ignore_eos asked for max_tokens. */
  | { kind: 'short-stream'; tokens: number }
  /** A normal stream whose usage counts (continuous and final) are the true count divided by this, rounded down. */
  | { kind: 'under-reported-usage'; divisor: number }
  /** vLLM's shape: `data: {"error": ...}` then `[DONE]`, after some chunks. */
  | { kind: 'error-mid-stream'; afterChunks: number; message: string }
  /** Close the connection after some chunks, mid-body. */
  | { kind: 'disconnect'; afterChunks: number }
  /** A `data:` line that is not JSON, after some chunks. */
  | { kind: 'garbage'; afterChunks: number; text: string }
  /** Accept the request and never answer. */
  | { kind: 'never-answer' };

export interface FakeOpenAiServerOptions {
  /** Time from receiving a request to its first token-bearing message. */
  ttftMs?: number;
  /** Decode time per token; a message carrying k tokens comes k gaps after the previous one. */
  tokenGapMs?: number;
  /** Uniform jitter in ±jitterMs added to the TTFT and to every gap (seeded). */
  jitterMs?: number;
  seed?: number;
  tokensPerChunk?: number;
  /** Output length when the request sets no max_tokens. */
  defaultMaxTokens?: number;
  /** Without ignore_eos, the "model" stops after this many tokens (if fewer than max_tokens). */
  naturalOutputTokens?: number;
  usage?: FakeUsageMode;
  /** Chat only: send vLLM's role-only first chunk (default true). */
  roleChunk?: boolean;
  /** Each request in flight beyond the first stretches decode gaps by this fraction (batching slowdown). */
  batchSlowdownPerRequest?: number;
  /** Each other request in flight when a request arrives adds this much to its TTFT (prefill queueing). */
  ttftPerStreamMs?: number;
  /**
   * Time the decode gaps from the first message's actual emission rather than from its scheduled
   * time, as a real engine does: a first token that went out late (a busy machine) delays the rest
   * instead of being caught up, so it cannot make TPOT look shorter than the server's step time.
   */
  anchorDecodeOnFirstMessage?: boolean;
  models?: string[];
  /** Port to listen on; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** Chooses the behaviour of each request, by arrival index (0-based). */
  behavior?: (request: { index: number; endpoint: FakeEndpoint }) => FakeRequestBehavior;
}

export type FakeEndpoint = 'completions' | 'chat';

export type FakeRequestOutcome =
  | 'streaming'
  | 'completed'
  | 'http-error'
  | 'error-mid-stream'
  | 'disconnected'
  | 'garbage'
  | 'error-event'
  | 'never-answered'
  | 'client-closed';

export interface FakeRequestLog {
  index: number;
  endpoint: FakeEndpoint;
  /** Server `performance.now()` when the request body was fully received. */
  receivedAt: number;
  body: Record<string, unknown>;
  promptTokens: number;
  /** Per token-bearing message (including chat's role chunk): ms after `receivedAt` it was scheduled for. */
  scheduledMs: number[];
  /** Per message actually written: ms after `receivedAt`. */
  emittedMs: number[];
  /** Output tokens in each message (0 for the role chunk). */
  tokensPerMessage: number[];
  outcome: FakeRequestOutcome;
}

export interface FakeOpenAiServer {
  /** Base URL, e.g. http://127.0.0.1:43121/v1. */
  url: string;
  requests(): FakeRequestLog[];
  /** Requests accepted and not yet finished (streaming or never answered). */
  inFlight(): number;
  close(): Promise<void>;
}

const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', ' and', ' runs'];

export async function startFakeOpenAiServer(
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  const settings = {
    ttftMs: options.ttftMs ?? 20,
    tokenGapMs: options.tokenGapMs ?? 2,
    jitterMs: options.jitterMs ?? 0,
    tokensPerChunk: options.tokensPerChunk ?? 1,
    defaultMaxTokens: options.defaultMaxTokens ?? 16,
    naturalOutputTokens: options.naturalOutputTokens ?? Number.POSITIVE_INFINITY,
    usage: options.usage ?? 'as-requested',
    roleChunk: options.roleChunk ?? true,
    batchSlowdownPerRequest: options.batchSlowdownPerRequest ?? 0,
    ttftPerStreamMs: options.ttftPerStreamMs ?? 0,
    anchorDecodeOnFirstMessage: options.anchorDecodeOnFirstMessage ?? false,
    models: options.models ?? ['fake-model'],
    behavior: options.behavior ?? (() => ({ kind: 'stream' }) as const),
  };
  const random = new SeededRandom(options.seed ?? 1);
  const jitter = (): number => (settings.jitterMs > 0 ? (random.uniform() * 2 - 1) * settings.jitterMs : 0);
  const scheduler = new EmissionScheduler();
  const logs: FakeRequestLog[] = [];
  let inFlight = 0;

  const server = http.createServer({ noDelay: true, keepAlive: true }, (request, response) => {
    const bodyParts: Buffer[] = [];
    request.on('data', (part: Buffer) => bodyParts.push(part));
    request.on('end', () => {
      const receivedAt = performance.now();
      const path = (request.url ?? '').split('?')[0];
      if (request.method === 'GET' && path === '/v1/models') {
        sendJson(response, 200, {
          object: 'list',
          data: settings.models.map((id) => ({
            id,
            object: 'model',
            created: 0,
            owned_by: 'fake',
            max_model_len: 131072,
          })),
        });
        return;
      }
      const endpoint: FakeEndpoint | null =
        path === '/v1/completions' ? 'completions' : path === '/v1/chat/completions' ? 'chat' : null;
      if (request.method !== 'POST' || endpoint === null) {
        sendError(response, 404, `no route ${request.method} ${path}`, 'NotFoundError');
        return;
      }
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(bodyParts).toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        body = parsed as Record<string, unknown>;
      } catch {
        sendError(response, 400, 'request body is not a JSON object', 'BadRequestError');
        return;
      }
      const model = body.model;
      if (typeof model !== 'string' || !settings.models.includes(model)) {
        sendError(response, 404, `The model \`${String(model)}\` does not exist.`, 'NotFoundError');
        return;
      }
      const promptTokens = countPromptTokens(endpoint, body);
      if (promptTokens === null) {
        sendError(
          response,
          400,
          endpoint === 'chat' ? 'messages are required' : 'prompt is required',
          'BadRequestError',
        );
        return;
      }
      const log: FakeRequestLog = {
        index: logs.length,
        endpoint,
        receivedAt,
        body,
        promptTokens,
        scheduledMs: [],
        emittedMs: [],
        tokensPerMessage: [],
        outcome: 'streaming',
      };
      logs.push(log);
      const behavior = settings.behavior({ index: log.index, endpoint });
      if (behavior.kind === 'http-error') {
        log.outcome = 'http-error';
        if (behavior.retryAfter !== undefined) response.setHeader('retry-after', behavior.retryAfter);
        sendError(
          response,
          behavior.status,
          behavior.message,
          behavior.status === 429 ? 'RateLimitError' : 'ServerError',
        );
        return;
      }
      inFlight++;
      let finished = false;
      const finish = (outcome: FakeRequestOutcome): void => {
        if (finished) return;
        finished = true;
        inFlight--;
        // A never-answered request ends when the client gives up; that is still what it was.
        if (log.outcome !== 'never-answered') log.outcome = outcome;
      };
      response.on('close', () => finish('client-closed'));
      if (behavior.kind === 'never-answer') {
        log.outcome = 'never-answered';
        return;
      }
      streamResponse(body, endpoint, log, behavior, response, finish);
    });
  });

  function streamResponse(
    body: Record<string, unknown>,
    endpoint: FakeEndpoint,
    log: FakeRequestLog,
    behavior: FakeRequestBehavior,
    response: http.ServerResponse,
    finish: (outcome: FakeRequestOutcome) => void,
  ): void {
    const maxTokens = readMaxTokens(body, endpoint) ?? settings.defaultMaxTokens;
    const requestedTokens =
      body.ignore_eos === true ? maxTokens : Math.min(maxTokens, settings.naturalOutputTokens);
    const outputTokens =
      behavior.kind === 'short-stream' ? Math.min(requestedTokens, behavior.tokens) : requestedTokens;
    const reportedTokens = (tokens: number): number =>
      behavior.kind === 'under-reported-usage' ? Math.floor(tokens / behavior.divisor) : tokens;
    const streamOptions =
      typeof body.stream_options === 'object' && body.stream_options !== null
        ? (body.stream_options as Record<string, unknown>)
        : {};
    const includeUsage =
      settings.usage === 'final-only' ||
      (settings.usage === 'as-requested' && streamOptions.include_usage === true);
    const continuousUsage =
      settings.usage === 'as-requested' && includeUsage && streamOptions.continuous_usage_stats === true;
    const id = `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-fake${log.index}`;
    const modelName = String(body.model);

    // The messages this request will stream, each with its token count (chat's role chunk has 0).
    const messageTokens: number[] = [];
    if (endpoint === 'chat' && settings.roleChunk) messageTokens.push(0);
    for (let remaining = outputTokens; remaining > 0; remaining -= settings.tokensPerChunk) {
      messageTokens.push(Math.min(settings.tokensPerChunk, remaining));
    }

    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let tokensSent = 0;
    let messageIndex = 0;
    // inFlight already counts this request.
    const queueing = settings.ttftPerStreamMs * Math.max(0, inFlight - 1);
    let scheduledOffset = Math.max(0, settings.ttftMs + queueing + jitter());

    const usageObject = () => ({
      prompt_tokens: log.promptTokens,
      total_tokens: log.promptTokens + reportedTokens(tokensSent),
      completion_tokens: reportedTokens(tokensSent),
    });
    const chunkFor = (tokens: number, isRoleChunk: boolean, isLast: boolean): Record<string, unknown> => {
      const text = Array.from(
        { length: tokens },
        (_, k) => WORDS[(tokensSent - tokens + k) % WORDS.length],
      ).join('');
      const finishReason = isLast ? (outputTokens === maxTokens ? 'length' : 'stop') : null;
      const choice =
        endpoint === 'chat'
          ? {
              index: 0,
              delta: isRoleChunk ? { role: 'assistant', content: '' } : { content: text },
              logprobs: null,
              finish_reason: finishReason,
            }
          : { index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null };
      const chunk: Record<string, unknown> = {
        id,
        object: endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion',
        created: 1_700_000_000,
        model: modelName,
        choices: [choice],
      };
      if (continuousUsage) chunk.usage = usageObject();
      return chunk;
    };
    const write = (data: string): void => {
      response.write(`data: ${data}\n\n`);
    };

    const emitNext = (): void => {
      if (response.destroyed || response.writableEnded) return;
      const afterChunks = 'afterChunks' in behavior ? behavior.afterChunks : Number.POSITIVE_INFINITY;
      if (messageIndex >= afterChunks) {
        if (behavior.kind === 'disconnect') {
          finish('disconnected');
          // FIN rather than RST (destroy), so the client deterministically reads what was sent first.
          response.socket?.end();
          return;
        }
        if (behavior.kind === 'error-mid-stream') {
          write(
            JSON.stringify({
              error: { object: 'error', message: behavior.message, type: 'InternalServerError', code: 500 },
            }),
          );
          write('[DONE]');
          finish('error-mid-stream');
          response.end();
          return;
        }
        if (behavior.kind === 'stall') return;
        if (behavior.kind === 'error-event') {
          response.write(`event: error\ndata: ${behavior.data}\n\n`);
          if (behavior.thenDone) write('[DONE]');
          finish('error-event');
          response.end();
          return;
        }
        if (behavior.kind === 'garbage') {
          write(behavior.text);
          finish('garbage');
          response.end();
          return;
        }
      }
      const tokens = messageTokens[messageIndex] ?? 0;
      const isRoleChunk = endpoint === 'chat' && settings.roleChunk && messageIndex === 0;
      tokensSent += tokens;
      const isLast = messageIndex === messageTokens.length - 1;
      log.emittedMs.push(performance.now() - log.receivedAt);
      log.tokensPerMessage.push(tokens);
      const message = `data: ${JSON.stringify(chunkFor(tokens, isRoleChunk, isLast))}\n\n`;
      messageIndex++;
      if (isLast || messageTokens.length === 0) {
        // vLLM sends the last token, the usage chunk and [DONE] together: one write, as one segment.
        let tail = message;
        if (includeUsage) {
          tail += `data: ${JSON.stringify({
            id,
            object: endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion',
            created: 1_700_000_000,
            model: modelName,
            choices: [],
            usage: usageObject(),
          })}\n\n`;
        }
        tail += 'data: [DONE]\n\n';
        finish('completed');
        response.end(tail);
        return;
      }
      response.write(message);
      // vLLM releases the role chunk in the same step as the first token.
      const nextTokens = messageTokens[messageIndex] ?? 0;
      const slowdown = 1 + settings.batchSlowdownPerRequest * Math.max(0, inFlight - 1);
      const gap = isRoleChunk ? 0 : Math.max(0, settings.tokenGapMs * nextTokens * slowdown + jitter());
      if (settings.anchorDecodeOnFirstMessage && messageIndex === 1) {
        scheduledOffset = Math.max(scheduledOffset, performance.now() - log.receivedAt);
      }
      scheduledOffset += gap;
      scheduleMessage();
    };
    const scheduleMessage = (): void => {
      log.scheduledMs.push(scheduledOffset);
      scheduler.schedule(log.receivedAt + scheduledOffset, emitNext);
    };
    scheduleMessage();
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => logs,
    inFlight: () => inFlight,
    close: async () => {
      scheduler.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function countPromptTokens(endpoint: FakeEndpoint, body: Record<string, unknown>): number | null {
  const words = (text: string): number => text.split(/\s+/).filter((word) => word.length > 0).length;
  if (endpoint === 'completions') {
    return typeof body.prompt === 'string' ? words(body.prompt) : null;
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return null;
  let total = 0;
  for (const message of body.messages) {
    const content =
      typeof message === 'object' && message !== null ? (message as Record<string, unknown>).content : null;
    if (typeof content !== 'string') return null;
    total += words(content);
  }
  return total;
}

function readMaxTokens(body: Record<string, unknown>, endpoint: FakeEndpoint): number | null {
  const value = endpoint === 'chat' ? (body.max_completion_tokens ?? body.max_tokens) : body.max_tokens;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function sendJson(response: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: http.ServerResponse, status: number, message: string, type: string): void {
  sendJson(response, status, { error: { object: 'error', message, type, param: null, code: status } });
}

/** Sleep on a timer until this close to a due time, then poll: Node timers are late by ~1 ms. */
const POLL_WINDOW_MS = 2;

interface ScheduledEmission {
  dueAt: number;
  sequence: number;
  emit: () => void;
}

/** A min-heap of due emissions drained by one timer (or an immediate poll when one is close). */
class EmissionScheduler {
  private readonly heap: ScheduledEmission[] = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  schedule(dueAt: number, emit: () => void): void {
    if (this.stopped) return;
    this.push({ dueAt, sequence: this.sequence++, emit });
    if (dueAt < this.armedFor) this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
    this.heap.length = 0;
  }

  private arm(): void {
    this.disarm();
    const next = this.heap[0];
    if (next === undefined || this.stopped) return;
    this.armedFor = next.dueAt;
    const waitMs = next.dueAt - performance.now();
    if (waitMs > POLL_WINDOW_MS) this.timer = setTimeout(() => this.drain(), waitMs - POLL_WINDOW_MS);
    else this.immediate = setImmediate(() => this.drain());
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private drain(): void {
    this.timer = null;
    this.immediate = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.dueAt > performance.now()) break;
      this.pop();
      next.emit();
    }
    this.arm();
  }

  private push(item: ScheduledEmission): void {
    const heap = this.heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as ScheduledEmission;
      if (!earlier(item, parent)) break;
      heap[index] = parent;
      heap[parentIndex] = item;
      index = parentIndex;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (
        left < heap.length &&
        earlier(heap[left] as ScheduledEmission, heap[smallest] as ScheduledEmission)
      ) {
        smallest = left;
      }
      if (
        right < heap.length &&
        earlier(heap[right] as ScheduledEmission, heap[smallest] as ScheduledEmission)
      ) {
        smallest = right;
      }
      if (smallest === index) return;
      const swap = heap[smallest] as ScheduledEmission;
      heap[smallest] = heap[index] as ScheduledEmission;
      heap[index] = swap;
      index = smallest;
    }
  }
}

function earlier(a: ScheduledEmission, b: ScheduledEmission): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.sequence < b.sequence);
}
