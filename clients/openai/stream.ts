import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { StreamChunkRecord } from '../../src/domain/metrics/request-record';
import { SseParseError, SseParser } from '../sse';
import { type EndpointKind, interpretChunk, shortJson } from './chunk';

/**
 * One streaming completion over raw `node:http(s)`, timed on the monotonic clock at the moment each
 * socket read arrives (no SDK or fetch layer in between to buffer or hide timing). Never rejects:
 * HTTP errors, mid-stream server errors, disconnects, timeouts and cancellation all come back as a
 * per-request `error` with a reason.
 */

export interface StreamRequestOptions {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1. */
  endpointUrl: string;
  endpointKind: EndpointKind;
  model: string;
  prompt: string;
  maxTokens: number;
  /** Ask vLLM to keep generating past end-of-sequence so every request yields `maxTokens`. */
  ignoreEos: boolean;
  apiKey?: string | undefined;
  /** Keep-alive agent shared by a run's requests, so connection setup is not re-measured each time. */
  agent?: http.Agent | undefined;
  /** Fail when no byte arrives for this long (covers servers that accept and never answer). */
  idleTimeoutMs: number;
  /** Fail when the whole request takes longer than this. */
  totalTimeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface StreamOutcome {
  /** `performance.now()` when the request was sent. */
  sentAt: number;
  /** Milliseconds from send to the end of the request (success or failure). */
  endMs: number;
  chunks: StreamChunkRecord[];
  serverOutputTokens: number | null;
  serverInputTokens: number | null;
  clientOutputTokens: number | null;
  error: string | null;
  /** The HTTP status when the server refused the request (not 200); null otherwise. */
  httpStatus: number | null;
  /** The refusal's Retry-After, in milliseconds (seconds or an HTTP date); null when absent. */
  retryAfterMs: number | null;
  /** Times this request was sent again after a 429 before this outcome (see `streamCompletionWithRetries`). */
  rateLimitRetries: number;
}

/** Most of an HTTP error body worth quoting in a failure reason. */
const ERROR_BODY_LIMIT_BYTES = 2048;

function endpointRequestUrl(endpointUrl: string, endpointKind: EndpointKind): URL {
  const base = endpointUrl.replace(/\/+$/, '');
  return new URL(`${base}${endpointKind === 'chat' ? '/chat/completions' : '/completions'}`);
}

function requestBody(options: StreamRequestOptions): Record<string, unknown> {
  const common = {
    model: options.model,
    stream: true,
    // continuous_usage_stats makes vLLM put cumulative token counts on every chunk, so a chunk that
    // carries several tokens is counted as several (servers that do not know the option ignore it).
    stream_options: { include_usage: true, continuous_usage_stats: true },
    temperature: 0,
    ignore_eos: options.ignoreEos,
  };
  if (options.endpointKind === 'chat') {
    return {
      ...common,
      messages: [{ role: 'user', content: options.prompt }],
      max_completion_tokens: options.maxTokens,
    };
  }
  return { ...common, prompt: options.prompt, max_tokens: options.maxTokens };
}

export function createKeepAliveAgent(endpointUrl: string): http.Agent {
  const options = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: 'fifo' as const };
  return new URL(endpointUrl).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

export function streamCompletion(options: StreamRequestOptions): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const url = endpointRequestUrl(options.endpointUrl, options.endpointKind);
    const body = JSON.stringify(requestBody(options));
    const parser = new SseParser();
    const chunks: StreamChunkRecord[] = [];
    let serverOutputTokens: number | null = null;
    let serverInputTokens: number | null = null;
    let previousCumulativeTokens = 0;
    let everyChunkCounted = true;
    let sawDone = false;
    let settled = false;
    let httpStatus: number | null = null;
    let retryAfterMs: number | null = null;

    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      accept: 'text/event-stream',
    };
    if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
    const requestModule = url.protocol === 'https:' ? https : http;

    // The send moment is when the request gets its connection, which is when Node writes it. Taking
    // it earlier would charge the server for the client's own work: dispatching 256 requests at once
    // takes the client tens of milliseconds before the last one is even written.
    let sentAt = performance.now();
    // Without a run's shared agent, a fresh connection: a stale keep-alive socket from Node's global
    // agent would turn a restarted server into a confusing "socket hang up".
    const request = requestModule.request(url, { method: 'POST', headers, agent: options.agent ?? false });
    request.once('socket', () => {
      sentAt = performance.now();
    });

    const finish = (error: string | null, at = performance.now()): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // A request that did not end cleanly leaves its socket in an unknown state: never reuse it.
      if (error !== null) request.destroy();
      const outcome: StreamOutcome = {
        sentAt,
        endMs: at - sentAt,
        chunks,
        serverOutputTokens,
        serverInputTokens,
        clientOutputTokens: everyChunkCounted && chunks.length > 0 ? previousCumulativeTokens : null,
        error,
        httpStatus,
        retryAfterMs,
        rateLimitRetries: 0,
      };
      resolve(outcome);
    };
    const progressNote = (): string =>
      chunks.length === 0 ? 'before the first chunk' : `after ${chunks.length} chunks`;

    const idleTimer = setTimeout(
      () => finish(`timed out: no data for ${options.idleTimeoutMs} ms ${progressNote()}`),
      options.idleTimeoutMs,
    );
    const totalTimer = setTimeout(
      () => finish(`timed out: request exceeded ${options.totalTimeoutMs} ms ${progressNote()}`),
      options.totalTimeoutMs,
    );
    const onAbort = (): void => finish(`cancelled ${progressNote()}`);
    if (options.signal?.aborted) {
      finish('cancelled before sending');
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const handleEventData = (data: string, eventType: string | null, arrivedAt: number): string | null => {
      // `event: error` is a failure whatever its data holds (vLLM's {"error": …}, {"message": …}, text).
      if (eventType === 'error')
        return `server sent an error event ${progressNote()}: ${errorEventMessage(data)}`;
      if (sawDone) return `data after [DONE]: ${shortJson(data)}`;
      // Another named event with no data (a keep-alive `event: ping`) carries nothing to measure.
      if (eventType !== null && data === '') return null;
      if (data === '[DONE]') {
        sawDone = true;
        return null;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        return `event data is not JSON ${progressNote()}: ${shortJson(data)}`;
      }
      const chunk = interpretChunk(payload, options.endpointKind);
      switch (chunk.kind) {
        case 'error':
          return `server error mid-stream ${progressNote()}: ${chunk.message}`;
        case 'choices': {
          let tokens: number | null = null;
          if (chunk.cumulativeOutputTokens !== null) {
            tokens = chunk.cumulativeOutputTokens - previousCumulativeTokens;
            previousCumulativeTokens = chunk.cumulativeOutputTokens;
            serverOutputTokens = chunk.cumulativeOutputTokens;
          } else {
            everyChunkCounted = false;
          }
          if (chunk.promptTokens !== null) serverInputTokens = chunk.promptTokens;
          chunks.push({ atMs: arrivedAt - sentAt, tokens, textChars: chunk.text.length });
          return null;
        }
        case 'usage':
          if (chunk.completionTokens !== null) serverOutputTokens = chunk.completionTokens;
          if (chunk.promptTokens !== null) serverInputTokens = chunk.promptTokens;
          return null;
        case 'other':
          return null;
      }
    };

    request.setNoDelay(true);
    request.on('error', (error) => finish(`connection error ${progressNote()}: ${describeError(error)}`));
    request.on('response', (response) => {
      idleTimer.refresh();
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        httpStatus = status;
        retryAfterMs = parseRetryAfter(response.headers['retry-after']);
        collectErrorBody(response, (text) =>
          finish(`HTTP ${status} ${response.statusMessage ?? ''}`.trimEnd() + (text ? `: ${text}` : '')),
        );
        return;
      }
      response.on('data', (bytes: Buffer) => {
        // One timestamp per socket read: every message in this read arrived at this moment.
        const arrivedAt = performance.now();
        if (settled) return;
        idleTimer.refresh();
        let events: ReturnType<SseParser['feed']>;
        try {
          events = parser.feed(bytes);
        } catch (error) {
          finish(`malformed event stream ${progressNote()}: ${describeError(error)}`, arrivedAt);
          return;
        }
        for (const event of events) {
          const failure = handleEventData(event.data, event.event, arrivedAt);
          if (failure !== null) {
            finish(failure, arrivedAt);
            return;
          }
        }
      });
      response.on('end', () => {
        const endedAt = performance.now();
        try {
          parser.end();
        } catch (error) {
          finish(`malformed event stream at its end: ${describeError(error)}`, endedAt);
          return;
        }
        if (!sawDone) finish(`stream ended without [DONE] ${progressNote()}`, endedAt);
        else if (chunks.length === 0) finish('stream finished without any token-bearing chunk', endedAt);
        else finish(null, endedAt);
      });
      response.on('error', (error) =>
        finish(`connection lost mid-stream ${progressNote()}: ${describeError(error)}`),
      );
      response.on('close', () => {
        if (!response.complete) finish(`connection closed mid-stream ${progressNote()}`);
      });
    });
    request.end(body);
  });
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function errorEventMessage(data: string): string {
  try {
    const payload: unknown = JSON.parse(data);
    const chunk = interpretChunk(payload, 'completions');
    if (chunk.kind === 'error') return chunk.message;
    if (typeof payload === 'object' && payload !== null && 'message' in payload) {
      const message = (payload as { message: unknown }).message;
      if (typeof message === 'string') return message;
    }
    return shortJson(payload);
  } catch {
    return data.trim() === '' ? '(no data)' : shortJson(data);
  }
}

export interface RateLimitRetryPolicy {
  /** Times a request refused with 429 is sent again before it counts as failed. */
  maxRetries: number;
  /** First backoff; doubled each retry, at most `maxDelayMs`. Retry-After, when longer, wins. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform in [0, 1): the jitter source (seeded in tests). */
  random: () => number;
}

export const DEFAULT_RATE_LIMIT_RETRY: RateLimitRetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  random: Math.random,
};

/** The wait before retry `retry` (1-based): exponential backoff, at least Retry-After, plus up to 50% jitter. */
export function rateLimitDelayMs(
  retry: number,
  retryAfterMs: number | null,
  policy: RateLimitRetryPolicy,
): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const floor = Math.min(policy.maxDelayMs, Math.max(backoff, retryAfterMs ?? 0));
  return floor + floor * 0.5 * policy.random();
}

/**
 * `streamCompletion`, sending a request refused with 429 again after Retry-After (or an exponential
 * backoff) with jitter, so many streams do not all come back at once. The outcome is the last
 * attempt's, timed from its own send; `rateLimitRetries` says how many refusals came first.
 */
export async function streamCompletionWithRetries(
  options: StreamRequestOptions,
  policy: RateLimitRetryPolicy = DEFAULT_RATE_LIMIT_RETRY,
): Promise<StreamOutcome> {
  for (let retry = 0; ; retry += 1) {
    const outcome = await streamCompletion(options);
    if (outcome.httpStatus !== 429 || retry >= policy.maxRetries || options.signal?.aborted) {
      return {
        ...outcome,
        rateLimitRetries: retry,
        error:
          outcome.error !== null && outcome.httpStatus === 429 && retry > 0
            ? `${outcome.error} (still refused after ${retry} retries)`
            : outcome.error,
      };
    }
    const waitMs = rateLimitDelayMs(retry + 1, outcome.retryAfterMs, policy);
    const waited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), waitMs);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(false);
        },
        { once: true },
      );
    });
    if (!waited)
      return { ...outcome, rateLimitRetries: retry, error: 'cancelled while waiting to retry a 429' };
  }
}

function collectErrorBody(response: http.IncomingMessage, done: (text: string) => void): void {
  const parts: Buffer[] = [];
  let collected = 0;
  response.on('data', (bytes: Buffer) => {
    if (collected < ERROR_BODY_LIMIT_BYTES) parts.push(bytes);
    collected += bytes.length;
  });
  const complete = (): void => done(readableErrorBody(Buffer.concat(parts).toString('utf8')));
  response.on('end', complete);
  response.on('error', complete);
  response.on('close', complete);
}

/** An OpenAI-style `{"error": {"message"}}` body reads better as its message than as raw JSON. */
function readableErrorBody(text: string): string {
  const trimmed = text.trim().slice(0, ERROR_BODY_LIMIT_BYTES);
  try {
    const parsed: unknown = JSON.parse(trimmed);
    const chunk = interpretChunk(parsed, 'completions');
    if (chunk.kind === 'error') return chunk.message;
  } catch {
    // Not JSON: quote the text itself.
  }
  return trimmed;
}

function describeError(error: unknown): string {
  if (error instanceof SseParseError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
