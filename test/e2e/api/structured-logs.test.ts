import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  embeddedEnvironment,
  runCli,
  startApiProcess,
  waitFor,
} from '../../support/processes';

/**
 * The API's log, read from a real server process's output: one JSON object per line, the request
 * id on every request line (the caller's x-request-id honoured and returned), the level from
 * FLOORPLAN_LOG_LEVEL, and no token that was sent ever written.
 */

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  method?: string;
  path?: string;
  status?: number;
  durationMs?: number;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function finished(child: ChildHandle): Promise<string> {
  const code = await child.exited;
  if (code !== 0) throw new Error(`exited ${code}:\n${child.output()}`);
  return child.output();
}

const QUERY = JSON.stringify({ query: 'query Paths { servingPaths { slug } }' });

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())('structured logs (pino)', { timeout: 480_000 }, () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fp-logs-'));
  });
  afterAll(async () => {
    await api?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a request id on every request line, honoured and returned; the level from the environment; tokens never logged', async () => {
    api = await startApiProcess({ dataDir, env: { FLOORPLAN_LOG_LEVEL: 'info' } });
    const token = (
      await finished(
        runCli(['token', 'create', '--role', 'viewer', '--name', 'logged'], embeddedEnvironment(dataDir)),
      )
    ).match(/fp_[\w-]+/)?.[0];
    if (!token) throw new Error('no token printed');
    const unknownToken = `${token.slice(0, -6)}zzzzzz`;
    const send = (headers: Record<string, string>, body = QUERY) =>
      fetch(`${api?.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    const traced = await send({ authorization: `Bearer ${token}`, 'x-request-id': 'trace-abc-123' });
    expect(traced.status).toBe(200);
    expect(traced.headers.get('x-request-id')).toBe('trace-abc-123');
    const fresh = await send({ authorization: `Bearer ${token}` });
    const freshId = fresh.headers.get('x-request-id') ?? '';
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);
    // An id that does not look like one (spaces, a newline) is replaced, not echoed into the log.
    const forged = await send({ authorization: `Bearer ${token}`, 'x-request-id': 'a b' });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A token in the body or the query string, and an unknown one in the header: none is logged.
    const refused = await send(
      { authorization: `Bearer ${unknownToken}` },
      JSON.stringify({
        query: 'query Q($t: String!) { servingPath(slug: $t) { slug } }',
        variables: { t: token },
      }),
    );
    const refusal = (await refused.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(refusal.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refusedId = refused.headers.get('x-request-id');
    await fetch(`${api.url}/export/access-paths.csv?token=${token}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    const lines = await waitFor(
      'the request lines',
      () => {
        const parsed = logLines(api?.output() ?? '');
        return parsed.filter((line) => line.msg === 'request').length >= 5 ? parsed : null;
      },
      { timeoutMs: 10_000, describe: () => api?.output() ?? '' },
    );
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests.every((line) => typeof line.requestId === 'string' && line.requestId.length > 0)).toBe(
      true,
    );
    expect(requests.find((line) => line.requestId === 'trace-abc-123')).toEqual(
      expect.objectContaining({ method: 'POST', path: '/graphql', status: 200, level: 30 }),
    );
    expect(requests.find((line) => line.requestId === freshId)?.path).toBe('/graphql');
    expect(requests.find((line) => line.requestId === refusedId)?.path).toBe('/graphql');
    expect(requests.find((line) => line.path === '/export/access-paths.csv')?.status).toBe(200);
    const output = api.output();
    expect(output).not.toContain(token);
    expect(output).not.toContain(unknownToken);
    expect(output).not.toContain(token.slice(3));

    // At FLOORPLAN_LOG_LEVEL=warn the same requests write no line.
    expect(await api.kill('SIGTERM')).toBe(0);
    api = await startApiProcess({ dataDir, env: { FLOORPLAN_LOG_LEVEL: 'warn' } });
    await send({ authorization: `Bearer ${token}`, 'x-request-id': 'quiet-1' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logLines(api.output()).filter((line) => line.level < 40)).toEqual([]);
    expect(api.output()).not.toContain('quiet-1');
    expect(await api.kill('SIGTERM')).toBe(0);
    api = undefined;

    // A level that is not one is refused at boot, naming the variable and the choices.
    await expect(startApiProcess({ dataDir, env: { FLOORPLAN_LOG_LEVEL: 'loud' } })).rejects.toThrow(
      /FLOORPLAN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/,
    );
  });
});
