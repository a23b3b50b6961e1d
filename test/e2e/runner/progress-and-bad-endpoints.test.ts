import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRunnerAgent } from '../../../runner/agent';
import { createApiToken } from '../../../src/app/auth/tokens';
import {
  type FakeOpenAiServer,
  type FakeRequestBehavior,
  startFakeOpenAiServer,
} from '../../fakes/openai-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, startApiProcess, waitFor } from '../../support/processes';
import { createRunAt } from './helpers';

/**
 * Progress fan-out across API processes (a subscriber on B sees what a runner reports to A, through
 * Postgres LISTEN/NOTIFY) and runs against broken endpoints (malformed SSE, non-JSON chunks, a
 * server that never answers): those end FAILED with the reason, and nothing is stored. Two API
 * processes need a shared database, so these tests need Postgres: set TEST_DATABASE_URL.
 */

interface RunEvent {
  status: string;
  attempt: number;
  progress: { completed: number; total: number } | null;
  results: { id: string }[];
}

/** Subscribes over SSE (Yoga's GraphQL-over-SSE) and collects events until the stream completes. */
async function collectProgress(
  apiUrl: string,
  token: string,
  runId: string,
  onEvent: (event: RunEvent) => void,
): Promise<RunEvent[]> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      query:
        'subscription P($id: ID!) { benchmarkRunProgress(id: $id) { status attempt progress { completed total } results { id } } }',
      variables: { id: runId },
    }),
  });
  if (!response.body) throw new Error(`no SSE body (HTTP ${response.status})`);
  const events: RunEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let boundary = buffered.indexOf('\n\n');
    while (boundary >= 0) {
      const message = buffered.slice(0, boundary);
      buffered = buffered.slice(boundary + 2);
      boundary = buffered.indexOf('\n\n');
      if (message.startsWith('event: complete')) return events;
      const data = message.split('\n').find((line) => line.startsWith('data: '));
      if (!message.startsWith('event: next') || !data) continue;
      const payload = JSON.parse(data.slice('data: '.length)) as {
        data?: { benchmarkRunProgress: RunEvent };
        errors?: unknown;
      };
      if (!payload.data) throw new Error(`subscription error: ${JSON.stringify(payload.errors)}`);
      events.push(payload.data.benchmarkRunProgress);
      onEvent(payload.data.benchmarkRunProgress);
    }
  }
  return events;
}

describe.skipIf(!usingPostgres())(
  'run progress and broken endpoints (Postgres only: set TEST_DATABASE_URL)',
  () => {
    let database: TestDatabase;
    let apiA: ApiProcess;
    let apiB: ApiProcess;
    let runnerToken: string;
    let operatorToken: string;
    let viewerToken: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      runnerToken = (
        await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
      ).token;
      operatorToken = (await createApiToken(database.prisma, { name: 'operator', role: 'OPERATOR' })).token;
      viewerToken = (await createApiToken(database.prisma, { name: 'viewer', role: 'VIEWER' })).token;
      // One after the other: each boots through the migrator, which holds an advisory lock.
      apiA = await startApiProcess({
        databaseUrl: database.url as string,
        env: { FLOORPLAN_LEASE_SECONDS: '5' },
      });
      apiB = await startApiProcess({
        databaseUrl: database.url as string,
        env: { FLOORPLAN_LEASE_SECONDS: '5' },
      });
    });

    afterAll(async () => {
      await Promise.all([apiA?.kill('SIGKILL'), apiB?.kill('SIGKILL')]);
      await database?.drop();
    });

    /** Runs an in-process agent against API A until `done` holds, then stops it the way SIGTERM does. */
    async function runAgentUntil(
      endpoint: FakeOpenAiServer,
      done: () => Promise<boolean>,
    ): Promise<string[]> {
      const stop = new AbortController();
      const lines: string[] = [];
      const agent = runRunnerAgent({
        apiUrl: apiA.url,
        token: runnerToken,
        box: 'dgx-spark',
        endpointUrl: endpoint.url,
        runnerName: 'in-process',
        pollIntervalMs: 100,
        retry: { initialDelayMs: 100, maxDelayMs: 500 },
        stopSignal: stop.signal,
        log: (line) => lines.push(line),
      });
      try {
        await waitFor('the run to finish', async () => (await done()) || null, {
          describe: () => lines.join('\n'),
        });
      } finally {
        stop.abort();
        await agent;
      }
      return lines;
    }

    it('streams progress from a runner reporting to API A to a subscriber on API B (LISTEN/NOTIFY)', async () => {
      const endpoint = await startFakeOpenAiServer({ ttftMs: 20, tokenGapMs: 20, defaultMaxTokens: 10 });
      try {
        // About 3.5 s of measuring: long enough for two heartbeats (every lease/3 = 1.7 s) to carry progress.
        const runId = await createRunAt(apiA.url, operatorToken, { numPrompts: 16, outputTokens: 10 });
        let subscribed: () => void = () => {};
        const firstEvent = new Promise<void>((resolve) => (subscribed = resolve));
        const collecting = collectProgress(apiB.url, viewerToken, runId, () => subscribed());
        await firstEvent;
        await runAgentUntil(
          endpoint,
          async () =>
            (await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } })).status ===
            'SUCCEEDED',
        );
        const events = await collecting;
        expect(events[0]?.status).toBe('QUEUED');
        const progressed = events.filter(
          (event) => event.status === 'LEASED' && (event.progress?.completed ?? 0) > 0,
        );
        expect(progressed.length).toBeGreaterThan(0);
        expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', attempt: 1 });
        expect(events.at(-1)?.results).toHaveLength(1);
      } finally {
        await endpoint.close();
      }
    });

    const brokenEndpoints: {
      name: string;
      behavior: FakeRequestBehavior;
      reason: RegExp;
      idleTimeoutS?: number;
    }[] = [
      {
        name: 'non-JSON chunks',
        behavior: { kind: 'garbage', afterChunks: 1, text: 'this is not json' },
        reason: /no request succeeded.*JSON/i,
      },
      {
        name: 'a server error mid-stream',
        behavior: { kind: 'error-mid-stream', afterChunks: 1, message: 'engine died' },
        reason: /engine died/,
      },
      { name: 'an HTTP 500', behavior: { kind: 'http-error', status: 500, message: 'boom' }, reason: /500/ },
      {
        name: 'a server that never answers',
        behavior: { kind: 'never-answer' },
        reason: /no request succeeded/i,
        idleTimeoutS: 0.5,
      },
    ];

    for (const broken of brokenEndpoints) {
      it(`fails the run with the reason, storing nothing, against ${broken.name}`, async () => {
        const endpoint = await startFakeOpenAiServer({ behavior: () => broken.behavior });
        try {
          const runId = await createRunAt(apiA.url, operatorToken, {
            numPrompts: 2,
            ...(broken.idleTimeoutS ? { idleTimeoutS: broken.idleTimeoutS } : {}),
          });
          await runAgentUntil(endpoint, async () =>
            ['FAILED', 'SUCCEEDED'].includes(
              (await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } })).status,
            ),
          );
          const run = await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
          expect(run.status).toBe('FAILED');
          expect(run.failureReason).toMatch(broken.reason);
          expect(run.attemptHistory).toEqual([
            expect.objectContaining({ kind: 'failed', runner: expect.stringMatching(/in-process$/) }),
          ]);
          expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(0);
        } finally {
          await endpoint.close();
        }
      });
    }
  },
);
