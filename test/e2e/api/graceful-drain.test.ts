import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import { bootstrapDatabase } from '../../../src/db/bootstrap';
import { openDatabase } from '../../../src/db/connection';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, startApiProcess } from '../../support/processes';

/**
 * RELIABILITY promise 17 with a real API process: SIGTERM under a steady stream of `saveDecision`
 * mutations over keep-alive connections, a burst sent just before the signal, a request whose body
 * is still arriving for 6 s after it, and an open progress subscription. Every request sent before
 * the signal gets a complete response (and its mutation is stored), the subscription gets a final
 * event, and the process exits 0 by the deadline. On PGlite (an API on its own data folder) or on
 * Postgres with TEST_DATABASE_URL.
 */

const SAVE = JSON.stringify({
  query: 'mutation S($w: WorkloadInput!) { saveDecision(workload: $w, name: "drain") { id } }',
  variables: {
    w: {
      requestsPerDay: 2000,
      meanInputTokens: 900,
      meanOutputTokens: 250,
      activeHoursPerDay: 10,
      activeDaysPerMonth: 22,
      model: 'llama-3.1-8b-lora',
      needsCustomWeights: true,
      mustOwnWeights: true,
      minAcceptedRate: 0.6,
      neededByDays: 30,
      horizonMonths: 36,
    },
  },
});

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

interface SentRequest {
  /** Resolves once every byte of the request was handed to the kernel. */
  sent: Promise<void>;
  answer: Promise<Answer>;
}

function post(
  url: string,
  token: string,
  agent: Agent,
  body: string,
  options: { dribbleMs?: number; accept?: string } = {},
): SentRequest {
  let markFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  // Sent means on a connected socket and flushed: 'finish' alone also fires for a request still
  // queued in the agent, which no server has seen.
  const sent = Promise.all([finished, connected]).then(() => {});
  const answer = new Promise<Answer>((resolve, reject) => {
    const outgoing = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          ...(options.accept ? { accept: options.accept } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            body: text,
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.on('finish', markFinished);
    outgoing.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', markConnected);
      else markConnected();
    });
    if (options.dribbleMs) {
      // Headers and most of the body now, the last byte later: a slow upload in flight.
      outgoing.write(body.slice(0, -1));
      setTimeout(() => outgoing.end(body.slice(-1)), options.dribbleMs);
    } else {
      outgoing.end(body);
    }
  });
  return { sent, answer };
}

async function createRun(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation C($input: CreateBenchmarkRunInput!) { createBenchmarkRun(input: $input) { id } }',
      variables: {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-instruct-base',
          endpointKind: 'COMPLETIONS',
          idempotencyKey: `drain-${Date.now()}-${Math.random()}`,
          spec: {
            profile: { kind: 'CONCURRENCY', concurrency: [1] },
            numPrompts: 1,
            inputTokens: 8,
            outputTokens: 2,
          },
        },
      },
    }),
  });
  const body = (await response.json()) as { data?: { createBenchmarkRun: { id: string } }; errors?: unknown };
  if (!body.data) throw new Error(`createBenchmarkRun failed: ${JSON.stringify(body.errors)}`);
  return body.data.createBenchmarkRun.id;
}

/** A progress subscription over SSE: its events until the stream's `complete`. */
function subscribe(
  url: string,
  token: string,
  runId: string,
): { firstEvent: Promise<void>; events: Promise<{ status: string }[]> } {
  let markFirst: () => void = () => {};
  const firstEvent = new Promise<void>((resolve) => {
    markFirst = resolve;
  });
  const events = (async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        query: 'subscription P($id: ID!) { benchmarkRunProgress(id: $id) { status } }',
        variables: { id: runId },
      }),
    });
    if (!response.body) throw new Error(`no SSE body (HTTP ${response.status})`);
    const seen: { status: string }[] = [];
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the stream was cut without a complete event after ${seen.length} event(s)`);
      buffered += decoder.decode(value, { stream: true });
      for (let boundary = buffered.indexOf('\n\n'); boundary >= 0; boundary = buffered.indexOf('\n\n')) {
        const message = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        if (message.startsWith('event: complete')) return seen;
        const data = message.split('\n').find((line) => line.startsWith('data: '));
        if (!message.startsWith('event: next') || !data) continue;
        const payload = JSON.parse(data.slice('data: '.length)) as {
          data?: { benchmarkRunProgress: { status: string } };
        };
        if (!payload.data) throw new Error(`subscription error: ${data}`);
        seen.push(payload.data.benchmarkRunProgress);
        markFirst();
      }
    }
  })();
  return { firstEvent, events };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('graceful drain on SIGTERM (promise 17)', () => {
  let database: TestDatabase | null = null;
  let dataDir: string | null = null;
  let api: ApiProcess;
  let token: string;

  beforeAll(async () => {
    const env = { FLOORPLAN_SHUTDOWN_DEADLINE_SECONDS: '25' };
    if (usingPostgres()) {
      database = await createTestDatabase();
      token = (await createApiToken(database.prisma, { name: 'drain-admin', role: 'ADMIN' })).token;
      api = await startApiProcess({ databaseUrl: database.url as string, env });
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'floorplan-drain-'));
      // Prepared here (migrated, seeded, a token) and closed: the API process then owns the folder.
      const prepared = await openDatabase({ kind: 'pglite', dataDir });
      await bootstrapDatabase(prepared, { createFirstAdmin: false });
      token = (await createApiToken(prepared.prisma, { name: 'drain-admin', role: 'ADMIN' })).token;
      await prepared.close();
      api = await startApiProcess({ dataDir, env, readyTimeoutMs: 60_000 });
    }
  }, 130_000);

  afterAll(async () => {
    await api?.kill('SIGKILL');
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request sent before the signal, ends the subscription with a final event, and exits 0', async () => {
    const runId = await createRun(api.url, token);
    const subscription = subscribe(api.url, token, runId);
    await subscription.firstEvent;

    const agent = new Agent({ keepAlive: true });
    const requests: SentRequest[] = [];
    // A steady 20 requests/s for 1 s over keep-alive connections...
    for (let index = 0; index < 20; index++) {
      requests.push(post(api.url, token, agent, SAVE));
      await sleep(50);
    }
    // ...an upload that is still arriving for 6 s after the signal...
    requests.push(post(api.url, token, new Agent({ keepAlive: true }), SAVE, { dribbleMs: 6_000 }));
    // ...and a burst in the last moment before it.
    for (let index = 0; index < 8; index++) requests.push(post(api.url, token, agent, SAVE));
    // The slow upload's headers are out; every other request was handed to the kernel whole.
    await Promise.all(requests.filter((_, index) => index !== 20).map((sent) => sent.sent));

    const signalledAt = Date.now();
    api.process.kill('SIGTERM');
    const answers = await Promise.allSettled(requests.map((sent) => sent.answer));
    const events = await subscription.events;
    const exitCode = await api.exited;
    const exitedAfterMs = Date.now() - signalledAt;
    agent.destroy();

    const failures = answers.flatMap((answer, index) =>
      answer.status === 'rejected' ? [`request ${index}: ${(answer.reason as Error).message}`] : [],
    );
    expect(failures, api.output()).toEqual([]);
    const bodies = answers.map((answer) => (answer as PromiseFulfilledResult<Answer>).value);
    // Complete answers: stored (200 with the id), or shed by the overload guard (503 OVERLOADED,
    // stored nothing, says when to retry). Never a reset, never a half-written body.
    let shed = 0;
    const ids = bodies.flatMap((answer) => {
      const parsed = JSON.parse(answer.body) as {
        data?: { saveDecision: { id: string } } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      if (answer.status === 503) {
        expect(parsed.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
        shed++;
        return [];
      }
      expect(answer.status).toBe(200);
      expect(parsed.errors).toBeUndefined();
      return [parsed.data?.saveDecision.id as string];
    });
    // The slow upload was answered after the signal, and told to close its connection.
    expect(bodies[20]?.connection).toBe('close');
    expect(ids.length).toBeGreaterThan(0);
    // The subscriber got the run as it was, then the end of the stream.
    expect(events.at(-1)).toEqual({ status: 'QUEUED' });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(exitCode).toBe(0);
    expect(exitedAfterMs).toBeLessThan(25_000);
    expect(api.output()).toMatch(/Drained in \d+ ms: every request answered/);
    console.log(
      `promise 17: ${bodies.length} requests sent before SIGTERM, ${bodies.length} complete responses (${ids.length} stored, ${shed} shed as OVERLOADED); exited 0 after ${exitedAfterMs} ms`,
    );

    // Every answered mutation was stored: nothing half-done, nothing answered and lost.
    const check = database ?? (await openDatabase({ kind: 'pglite', dataDir: dataDir as string }));
    try {
      expect(await check.prisma.decision.count({ where: { id: { in: ids } } })).toBe(ids.length);
    } finally {
      if (!database) await check.close();
    }
  }, 90_000);
});
