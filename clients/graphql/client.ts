import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { SseParseError, SseParser } from '../sse';

/**
 * The one GraphQL transport of floorplan's own clients (the Slack bot, the runner agent, the CLI
 * where it talks to the API, and the tests): POST for queries and mutations, GraphQL over SSE for
 * subscriptions. Documents and their result types are generated from schema/operations/ (see
 * `operations.generated.ts`), so a result is typed by the schema instead of being re-declared or
 * re-validated here. What this file adds is the failure policy: every way a call can fail becomes a
 * `GraphqlCallError` whose `kind` tells the caller what to do (retry, show the message, give up).
 */

export type GraphqlCallErrorKind =
  /** Not reachable, timed out, 5xx, or an answer that is not GraphQL: trying again may help. */
  | 'unavailable'
  /** The input was refused (validation, unknown slug, conflict): the message is safe to show. */
  | 'invalid-input'
  | 'not-found'
  /** The token lacks the right, or the API refused on policy. */
  | 'forbidden'
  /** Any other GraphQL error. */
  | 'failed';

export class GraphqlCallError extends Error {
  override readonly name = 'GraphqlCallError';
  constructor(
    readonly kind: GraphqlCallErrorKind,
    message: string,
    /** The API's `extensions.code`, when it sent one. */
    readonly code: string | null,
    readonly operationName: string,
  ) {
    super(message);
  }
}

/** A generated document: its text plus the result and variable types it decorates. */
export type TypedDocument<Result, Variables> = DocumentTypeDecoration<Result, Variables> & {
  toString(): string;
};

export interface SubscriptionHandlers<Result> {
  /** The stream is open (the API answered with an event stream); events from now on arrive. */
  open?(): void;
  next(data: Result): void;
  /** The stream ended: `error` is set when it broke rather than completed. */
  end(error?: GraphqlCallError): void;
}

export type Unsubscribe = () => void;

export interface GraphqlClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** A floorplan API token, sent as a bearer token; null for anonymous calls. */
  token: string | null;
  /** Sent as `x-graphql-client`, which also satisfies the API's CSRF check. */
  clientName: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GraphqlClient {
  readonly endpoint: URL;
  execute<Result, Variables>(
    document: TypedDocument<Result, Variables>,
    variables: NoInfer<Variables>,
  ): Promise<Result>;
  subscribe<Result, Variables>(
    document: TypedDocument<Result, Variables>,
    variables: NoInfer<Variables>,
    handlers: SubscriptionHandlers<Result>,
  ): Unsubscribe;
  /** GETs a path on the API's own host (charts, CSV) with the token; refuses any other host. */
  fetchFromApi(path: string, accept: string): Promise<Buffer>;
}

const KIND_BY_CODE: Record<string, GraphqlCallErrorKind> = {
  BAD_USER_INPUT: 'invalid-input',
  CONFLICT: 'invalid-input',
  NOT_FOUND: 'not-found',
  FORBIDDEN: 'forbidden',
  UNAUTHENTICATED: 'forbidden',
};

interface GraphqlEnvelope {
  data?: Record<string, unknown> | null;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

function isEnvelope(value: unknown): value is GraphqlEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const { data, errors } = value as Record<string, unknown>;
  return (
    (data === undefined || data === null || typeof data === 'object') &&
    (errors === undefined || Array.isArray(errors))
  );
}

function operationNameOf(document: { toString(): string }): string {
  return /\b(?:query|mutation|subscription)\s+([A-Za-z_]\w*)/.exec(document.toString())?.[1] ?? 'anonymous';
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'it did not answer in time';
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause ? String(cause.code) : undefined;
  return code ?? cause?.message ?? error.message;
}

/** The first GraphQL error of an envelope as a typed error, or null when there is none. */
function errorOf(envelope: GraphqlEnvelope, status: number, operationName: string): GraphqlCallError | null {
  const errors = envelope.errors ?? [];
  if (errors.length === 0) return null;
  const code = typeof errors[0]?.extensions?.code === 'string' ? errors[0].extensions.code : null;
  const kind =
    (code === null ? undefined : KIND_BY_CODE[code]) ??
    (status === 401 || status === 403 ? 'forbidden' : status >= 500 ? 'unavailable' : 'failed');
  const message = errors.map((error) => String(error.message ?? 'unknown error')).join('; ');
  return new GraphqlCallError(kind, message, code, operationName);
}

export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const fetchFunction = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const endpoint = new URL(options.url);

  const headers = (accept: string): Record<string, string> => ({
    'content-type': 'application/json',
    accept,
    'x-graphql-client': options.clientName,
    ...(options.token === null ? {} : { authorization: `Bearer ${options.token}` }),
  });
  const body = (document: { toString(): string }, variables: unknown, operationName: string) =>
    JSON.stringify({ query: document.toString(), variables, operationName });

  async function execute<Result, Variables>(
    document: TypedDocument<Result, Variables>,
    variables: NoInfer<Variables>,
  ): Promise<Result> {
    const operationName = operationNameOf(document);
    const fail = (kind: GraphqlCallErrorKind, message: string, code: string | null = null) =>
      new GraphqlCallError(kind, message, code, operationName);
    let response: Response;
    let text: string;
    try {
      response = await fetchFunction(endpoint, {
        method: 'POST',
        headers: headers('application/graphql-response+json, application/json'),
        body: body(document, variables, operationName),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw fail(
        'unavailable',
        `The floorplan API at ${endpoint.origin} is not reachable (${describeNetworkError(error)}).`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isEnvelope(parsed)) {
      throw fail(
        response.status === 401 || response.status === 403 ? 'forbidden' : 'unavailable',
        `The floorplan API answered ${operationName} with HTTP ${response.status} and no GraphQL result${text ? `: ${text.slice(0, 200)}` : ''}.`,
      );
    }
    const error = errorOf(parsed, response.status, operationName);
    if (error !== null) throw error;
    if (parsed.data === null || parsed.data === undefined || !response.ok) {
      throw fail(
        response.status >= 500 ? 'unavailable' : 'failed',
        `The floorplan API answered ${operationName} with HTTP ${response.status} and no data.`,
      );
    }
    // The document's generated type is the schema's promise for this selection; the API is built
    // from the same SDL, so the data is not re-validated field by field.
    return parsed.data as Result;
  }

  function subscribe<Result, Variables>(
    document: TypedDocument<Result, Variables>,
    variables: NoInfer<Variables>,
    handlers: SubscriptionHandlers<Result>,
  ): Unsubscribe {
    const operationName = operationNameOf(document);
    const controller = new AbortController();
    let ended = false;
    const end = (error?: GraphqlCallError) => {
      if (ended) return;
      ended = true;
      controller.abort();
      handlers.end(error);
    };
    const fail = (kind: GraphqlCallErrorKind, message: string, code: string | null = null) =>
      new GraphqlCallError(kind, message, code, operationName);

    (async () => {
      const response = await fetchFunction(endpoint, {
        method: 'POST',
        headers: headers('text/event-stream'),
        body: body(document, variables, operationName),
        signal: controller.signal,
      });
      if (
        !response.ok ||
        response.body === null ||
        !(response.headers.get('content-type') ?? '').includes('text/event-stream')
      ) {
        const detail = await response.text().catch(() => '');
        let envelopeError: GraphqlCallError | null = null;
        try {
          const parsed: unknown = JSON.parse(detail);
          if (isEnvelope(parsed)) envelopeError = errorOf(parsed, response.status, operationName);
        } catch {
          // Not JSON: described below by its status.
        }
        throw (
          envelopeError ??
          fail(
            response.status >= 500 ? 'unavailable' : 'failed',
            `The ${operationName} stream did not open (HTTP ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}).`,
          )
        );
      }
      handlers.open?.();
      const parser = new SseParser();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        const events = done ? parser.end() : parser.feed(value);
        for (const event of events) {
          if (event.event === 'complete') {
            end();
            return;
          }
          if (event.event !== 'next' && event.event !== null) continue;
          let payload: unknown;
          try {
            payload = JSON.parse(event.data);
          } catch {
            throw fail('failed', `The ${operationName} stream sent an event that is not JSON.`);
          }
          if (!isEnvelope(payload))
            throw fail('failed', `The ${operationName} stream sent a non-GraphQL event.`);
          const error = errorOf(payload, 200, operationName);
          if (error !== null) throw error;
          if (payload.data !== null && payload.data !== undefined) handlers.next(payload.data as Result);
        }
        if (done) break;
      }
      // The server closed without `complete`: the caller decides whether to subscribe again.
      end(fail('unavailable', `The ${operationName} stream closed before it completed.`));
    })().catch((error: unknown) => {
      if (ended) return;
      if (error instanceof GraphqlCallError) end(error);
      else if (error instanceof SseParseError)
        end(fail('failed', `The ${operationName} stream broke: ${error.message}`));
      else end(fail('unavailable', `The ${operationName} stream broke (${describeNetworkError(error)}).`));
    });
    return () => end();
  }

  async function fetchFromApi(path: string, accept: string): Promise<Buffer> {
    const url = new URL(path, endpoint);
    const operationName = `GET ${url.pathname}`;
    if (url.origin !== endpoint.origin) {
      throw new GraphqlCallError(
        'failed',
        `Refusing to fetch from another host (${url.origin}).`,
        null,
        operationName,
      );
    }
    let response: Response;
    let bytes: Buffer;
    try {
      response = await fetchFunction(url, {
        headers: {
          accept,
          ...(options.token === null ? {} : { authorization: `Bearer ${options.token}` }),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new GraphqlCallError(
        'unavailable',
        `The floorplan API at ${endpoint.origin} is not reachable (${describeNetworkError(error)}).`,
        null,
        operationName,
      );
    }
    if (!response.ok) {
      throw new GraphqlCallError(
        response.status >= 500 ? 'unavailable' : response.status === 404 ? 'not-found' : 'failed',
        `${url.pathname} answered HTTP ${response.status}: ${bytes.toString('utf8').slice(0, 200)}`,
        null,
        operationName,
      );
    }
    return bytes;
  }

  return { endpoint, execute, subscribe, fetchFromApi };
}
