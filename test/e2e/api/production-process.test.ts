import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../../src/api/yoga';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, type ChildHandle, runCli, startApiProcess } from '../../support/processes';

/**
 * RELIABILITY promises 8 (bounded query cost) and 9 (no leaks), and the HTTP-level parts of 10
 * (anonymous callers in production) and 15 (bad input), with a real production process over
 * loopback: `src/api/main.ts` as a child with NODE_ENV=production on a PostgreSQL database, and
 * every request a real socket. The in-process twin (`yoga.fetch`, no socket) is
 * test/integration/foundation/query-limits-and-leaks.test.ts; this one also covers what only a
 * listening server does: the body limit as bytes on the wire, request and header timeouts, CORS
 * headers, the production switches read from the environment. Needs TEST_DATABASE_URL.
 */

const ALLOWED_ORIGIN = 'https://app.example.com';
const REQUEST_TIMEOUT_SECONDS = 3;
const HEADERS_TIMEOUT_SECONDS = 2;
/** Words that would mean an answer leaked internals: a stack frame, SQL, the ORM, file paths. */
const LEAK = /stack|\bat \S+\.(ts|js):\d+|SELECT |INSERT |prisma|node_modules|relation |BenchmarkRun_|P2021/i;

interface GraphQLError {
  message: string;
  path?: string[];
  extensions?: { code?: string; issues?: { path: string; message: string }[] };
}
interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
}

describe.skipIf(!usingPostgres())('a production API process over loopback (promises 8, 9, 10, 15)', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let viewer = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    viewer = (await createApiToken(database.prisma, { name: 'production-viewer', role: 'VIEWER' })).token;
    api = await startApiProcess({
      databaseUrl: database.url as string,
      env: {
        NODE_ENV: 'production',
        FLOORPLAN_CORS_ORIGINS: ALLOWED_ORIGIN,
        FLOORPLAN_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
        FLOORPLAN_HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await api?.kill('SIGTERM');
    await database?.drop();
  });

  const post = async (
    body: string,
    options: { token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const token = options.token === undefined ? viewer : options.token;
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: JSON.parse(text) as Answer['body'],
    };
  };
  const query = (source: string, variables: Record<string, unknown> = {}, token?: string | null) =>
    post(JSON.stringify({ query: source, variables }), { token });
  /** A refusal: no data, one error, and nothing internal in the whole answer. */
  const refusal = (answer: Answer) => {
    expect(answer.body.data ?? null, answer.text).toBeNull();
    expect(answer.body.errors?.length, answer.text).toBeGreaterThan(0);
    expect(answer.text).not.toMatch(LEAK);
    const [first] = answer.body.errors ?? [];
    return { status: answer.status, message: first?.message, code: first?.extensions?.code };
  };

  it('keeps the schema to itself: introspection refused, no field suggestions', async () => {
    expect(refusal(await query('{ __schema { types { name } } }'))).toEqual({
      status: 200,
      message:
        'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    const typo = await query('{ boxs { slug } }');
    expect(refusal(typo)).toEqual({
      status: 200,
      message: 'Cannot query field "boxs" on type "Query". [Suggestion hidden]',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(typo.text).not.toMatch(/Did you mean|"boxes"/);
  });

  it('answers an internal error as "Unexpected error." without stack or SQL, and recovers', async () => {
    // A real failure inside a resolver, made without touching product code: the table the query
    // reads is renamed away under the running process (Prisma's error names it, with SQL details).
    const control = new pg.Client({ connectionString: database.url as string });
    await control.connect();
    const runs = '{ benchmarkRuns { edges { node { id } } } }';
    try {
      await control.query('ALTER TABLE "BenchmarkRun" RENAME TO "BenchmarkRun_hidden"');
      const broken = await query(runs);
      expect(refusal(broken)).toEqual({
        status: 200,
        message: 'Unexpected error.',
        code: 'INTERNAL_SERVER_ERROR',
      });
      expect(broken.body.errors?.[0]?.path).toEqual(['benchmarkRuns']);
    } finally {
      await control.query('ALTER TABLE "BenchmarkRun_hidden" RENAME TO "BenchmarkRun"');
      await control.end();
    }
    // The cause is in the process's own log, for the operator, under the answer's request id.
    expect(api.output()).toContain('The table `public.BenchmarkRun` does not exist');
    const healed = await query(runs);
    expect(healed.body).toEqual({ data: { benchmarkRuns: { edges: [] } } });
  });

  it('refuses a query over each limit with BAD_USER_INPUT, what was over, and how to ask instead', async () => {
    // Depth 12: deeper than maxDepth (10) while still under the cost limit, so depth is what trips.
    const levels = (QUERY_LIMITS.maxDepth + 2) / 2 - 1;
    const deep = `{ boxes ${'{ vendor { boxes '.repeat(levels)}{ slug }${' } }'.repeat(levels)} }`;
    expect(refusal(await query(deep))).toEqual({
      status: 200,
      message: `Query depth limit of ${QUERY_LIMITS.maxDepth} exceeded, found ${QUERY_LIMITS.maxDepth + 2}: nest fields at most ${QUERY_LIMITS.maxDepth} levels deep, or split the query into several requests.`,
      code: 'BAD_USER_INPUT',
    });
    const aliases = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, index) => `a${index}: boxes { slug }`).join(' ')} }`;
    expect(refusal(await query(aliases))).toEqual({
      status: 200,
      message: `Aliases limit of ${QUERY_LIMITS.maxAliases} exceeded, found ${QUERY_LIMITS.maxAliases + 1}: use at most ${QUERY_LIMITS.maxAliases} aliases in one request, or split it into several.`,
      code: 'BAD_USER_INPUT',
    });
    const tokens = `{ boxes { ${'slug '.repeat(QUERY_LIMITS.maxTokens)} } }`;
    expect(refusal(await query(tokens))).toEqual({
      status: 200,
      message: `Token limit of ${QUERY_LIMITS.maxTokens} exceeded: the query document has more than ${QUERY_LIMITS.maxTokens} tokens; ask for fewer fields, pass values as variables, or split the query into several requests.`,
      code: 'BAD_USER_INPUT',
    });
    const directives = `{ boxes { slug ${'@include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} } }`;
    expect(refusal(await query(directives))).toEqual({
      status: 200,
      message: `Directives limit of ${QUERY_LIMITS.maxDirectives} exceeded, found ${QUERY_LIMITS.maxDirectives + 1}: use at most ${QUERY_LIMITS.maxDirectives} directives in one request.`,
      code: 'BAD_USER_INPUT',
    });
    // Every level multiplies the cost (armor's default weights): 1,287,500 for a page of 100,000.
    expect(refusal(await query('{ benchmarkResults(first: 100000) { edges { node { id } } } }'))).toEqual({
      status: 200,
      message: `Query Cost limit of ${QUERY_LIMITS.maxCost} exceeded, found 1287500: ask for smaller pages (first/last), fewer nested lists or fewer fields, or split the query into several requests.`,
      code: 'BAD_USER_INPUT',
    });
    // Batches would multiply every bound above: one operation per request.
    const batch = await post(
      JSON.stringify([{ query: '{ boxes { slug } }' }, { query: '{ boxes { slug } }' }]),
    );
    expect(batch.status).toBe(400);
    expect(batch.body).toEqual({
      errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuses a body over maxRequestBodyBytes with 413', async () => {
    const big = await post(
      JSON.stringify({ query: `{ boxes { slug } } # ${'x'.repeat(QUERY_LIMITS.maxRequestBodyBytes)}` }),
    );
    expect(big.status).toBe(413);
    expect(big.body).toEqual({
      errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }],
    });
  });

  /** Sends the head, then one more byte every 300 ms; resolves with what came back and when the server closed. */
  const dribble = (head: string, drip: string) =>
    new Promise<{ received: string; closedAfterMs: number }>((resolve, reject) => {
      const socket = connect(api.port, '127.0.0.1');
      const started = Date.now();
      let received = '';
      let timer: NodeJS.Timeout | undefined;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ received, closedAfterMs: Date.now() - started });
      });
      socket.on('connect', () => {
        socket.write(head);
        timer = setInterval(() => socket.write(drip), 300);
      });
      // Never hold the test for minutes if the server does not cut it.
      setTimeout(() => socket.destroy(), 15_000).unref();
    });

  it('cuts a slowly sent body at the request timeout, and slowly sent headers at the headers timeout', async () => {
    const [body, headers] = await Promise.all([
      dribble(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${viewer}\r\nContent-Length: 10000\r\n\r\n{`,
        ' ',
      ),
      dribble('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n'),
    ]);
    // Node checks the timeouts once a second: cut within the timeout plus that check.
    expect(body.received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(body.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_SECONDS * 1000 - 100);
    expect(body.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_SECONDS * 1000 + 2500);
    expect(headers.received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(headers.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_SECONDS * 1000 - 100);
    expect(headers.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_SECONDS * 1000 + 2500);
  });

  it('sends CORS headers only to an origin listed in FLOORPLAN_CORS_ORIGINS', async () => {
    const boxes = JSON.stringify({ query: '{ boxes { slug } }' });
    const stranger = await post(boxes, { headers: { origin: 'https://evil.example.com' } });
    expect(stranger.status).toBe(200);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull();
    const listed = await post(boxes, { headers: { origin: ALLOWED_ORIGIN } });
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');

    const preflight = (origin: string) =>
      fetch(`${api.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const refused = await preflight('https://evil.example.com');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
  });

  it('refuses the catalog to anonymous callers with a clear message; a viewer token reads it', async () => {
    const needsToken =
      'This needs an API token: send "Authorization: Bearer <token>" (create one with `npx floorplan token create`).';
    for (const source of ['{ servingPaths { slug } }', '{ boxes { slug } }']) {
      expect(refusal(await query(source, {}, null))).toEqual({
        status: 200,
        message: needsToken,
        code: 'FORBIDDEN',
      });
    }
    const csv = await fetch(`${api.url}/export/access-paths.csv`);
    expect(csv.status).toBe(401);
    expect(await csv.text()).toBe(
      'This needs a viewer, operator or admin token: send "Authorization: Bearer <token>".\n',
    );
    expect(refusal(await query('{ boxes { slug } }', {}, `fp_${'b'.repeat(43)}`))).toEqual({
      status: 401,
      message: 'Unknown or revoked API token.',
      code: 'UNAUTHENTICATED',
    });

    const read = await query('{ boxes { slug } servingPaths { slug } }');
    expect(read.body.errors).toBeUndefined();
    const catalog = read.body.data as { boxes: { slug: string }[]; servingPaths: { slug: string }[] };
    expect(catalog.boxes.map((box) => box.slug)).toEqual(['dgx-spark', 'p5-48xlarge']);
    expect(catalog.servingPaths.length).toBeGreaterThan(0);
  });

  it('refuses a NUL byte in an argument with BAD_USER_INPUT naming the argument, literal or variable', async () => {
    const expected = {
      status: 200,
      message:
        'Invalid input to box: slug: contains a NUL character (\\u0000), which cannot be stored: remove it',
      code: 'BAD_USER_INPUT',
    };
    const literal = await post('{"query":"{ box(slug: \\"dgx\\u0000spark\\") { slug } }"}');
    expect(refusal(literal)).toEqual(expected);
    const variable = await query('query B($slug: String!) { box(slug: $slug) { slug } }', {
      slug: 'dgx\u0000spark',
    });
    expect(refusal(variable)).toEqual(expected);
    expect(variable.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'slug', message: 'contains a NUL character (\\u0000), which cannot be stored: remove it' },
    ]);
  });

  it('refuses a token revoked by the CLI from the next request, though the running API keeps tokens between requests', async () => {
    const env = { DATABASE_URL: database.url ?? undefined, FLOORPLAN_DATA_DIR: undefined };
    const exitedWith = async (child: ChildHandle) => {
      expect(await child.exited, child.output()).toBe(0);
      return child.output();
    };
    // Created by another process (this test's own connection), revoked by the CLI.
    const { token } = await createApiToken(database.prisma, { name: 'revoke-me', role: 'VIEWER' });
    // Used twice: the second request finds the token kept in the API process.
    for (let index = 0; index < 2; index++) {
      const read = await query('{ viewer { role } }', {}, token);
      expect(read.body.data?.viewer).toEqual({ role: 'VIEWER' });
    }
    // Its last use is recorded (`token list` shows it to the minute), once, not per request.
    const row = await database.prisma.apiToken.findFirstOrThrow({ where: { name: 'revoke-me' } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    await exitedWith(runCli(['token', 'revoke', '--name', 'revoke-me'], env));
    // The revocation NOTIFYs on commit; the API drops the tokens it kept when it hears it, which
    // is before the CLI process has even exited. Allow the notification a moment, no more.
    const deadline = Date.now() + 2000;
    let refused = await query('{ viewer { role } }', {}, token);
    while (refused.status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refused = await query('{ viewer { role } }', {}, token);
    }
    expect(refusal(refused)).toEqual({
      status: 401,
      message: 'Unknown or revoked API token.',
      code: 'UNAUTHENTICATED',
    });
  }, 60_000);
});
