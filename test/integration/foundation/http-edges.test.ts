import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { loadConfig } from '../../../src/config';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * The HTTP edge over a real socket: CORS only for configured origins (RELIABILITY lesson: the
 * setting was once validated and ignored), and slow clients cut at the configured header and body
 * timeouts instead of holding a connection for minutes.
 */

const ALLOWED = 'https://app.example.com';
const HEADERS_MS = 500;
const REQUEST_MS = 1_000;

/** Writes raw bytes and resolves with what the server sent and how long until it closed. */
function rawExchange(port: number, bytes: string): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
  });
}

describe('HTTP edge: CORS and slow clients', () => {
  let database: TestDatabase;
  let api: ApiServer;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: true,
      publicCatalog: false,
      corsOrigins: [ALLOWED],
      timeouts: { headersMs: HEADERS_MS, requestMs: REQUEST_MS },
    });
    port = Number(new URL(api.url).port);
  });
  afterAll(async () => {
    await api?.close({ deadlineMs: 2_000 });
    await database?.drop();
  });

  const graphql = (origin: string, method = 'POST') =>
    fetch(`${api.url}/graphql`, {
      method,
      headers: {
        origin,
        'content-type': 'application/json',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
      ...(method === 'POST' ? { body: JSON.stringify({ query: '{ __typename }' }) } : {}),
    });

  it('answers a configured origin with CORS headers and any other origin with none', async () => {
    const allowed = await graphql(ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');

    const other = await graphql('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();

    const preflight = await graphql('https://evil.example', 'OPTIONS');
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowedPreflight = await graphql(ALLOWED, 'OPTIONS');
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('reads FLOORPLAN_CORS_ORIGINS as a list of origins (none by default) and refuses anything else', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).FLOORPLAN_CORS_ORIGINS).toEqual([]);
    expect(
      loadConfig({ FLOORPLAN_CORS_ORIGINS: 'https://a.example, http://localhost:5173' })
        .FLOORPLAN_CORS_ORIGINS,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ FLOORPLAN_CORS_ORIGINS: '*' })).toThrow(
      /FLOORPLAN_CORS_ORIGINS must list origins/,
    );
    expect(() => loadConfig({ FLOORPLAN_CORS_ORIGINS: 'https://a.example/path' })).toThrow(
      /FLOORPLAN_CORS_ORIGINS/,
    );
  });

  it('cuts a client that sends its headers too slowly', async () => {
    const { reply, closedAfterMs } = await rawExchange(port, 'POST /graphql HTTP/1.1\r\nHost: x\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    // Node checks timeouts once a second; the machine may be busy.
    expect(closedAfterMs).toBeLessThan(HEADERS_MS + 3_000);
  });

  it('cuts a client that sends its body too slowly', async () => {
    const { reply, closedAfterMs } = await rawExchange(
      port,
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(REQUEST_MS + 3_000);
  });
});
