import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import type { Explanation } from '../../../src/app/decisions/watch';
import { FakeSlackServer } from '../../fakes/slack-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, startApiProcess, waitFor } from '../../support/processes';
import { subscribeOverSse } from '../../support/sse-subscription';

/**
 * Watched decisions across replicas, with real processes: two API processes (`src/api/main.ts`,
 * each running its own watcher) on one PostgreSQL database, the fake Slack as the Web API both post
 * to with the bot's token, and a `decisionChanged` subscription held open over HTTP (GraphQL over
 * SSE) on one of them while the other takes the edits. Each evidence change must be re-evaluated
 * once, each new version posted once and delivered once.
 */

describe.skipIf(!usingPostgres())('watched decisions on two API processes (PostgreSQL)', () => {
  let database: TestDatabase;
  const slack = new FakeSlackServer();
  let replicas: ApiProcess[] = [];
  let admin = '';
  let viewer = '';
  beforeAll(async () => {
    database = await createTestDatabase();
    admin = (await createApiToken(database.prisma, { name: 'replicas-admin', role: 'ADMIN' })).token;
    viewer = (await createApiToken(database.prisma, { name: 'replicas-viewer', role: 'VIEWER' })).token;
    await slack.start();
    replicas = await Promise.all(
      [0, 1].map(() =>
        startApiProcess({
          databaseUrl: database.url as string,
          env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl },
        }),
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill('SIGTERM')));
    await slack.stop();
    await database.drop();
  });

  const call = async (replica: number, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${replicas[replica]?.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const editTokens = (amount: string) =>
    `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-output", input: { amount: "${amount}", source: "test: a later price page", asOf: "${new Date().toISOString()}" }) { slug } }`;

  it('price edits and a benchmark import on alternating replicas: one re-evaluation per change, one post and one subscription event per version', async () => {
    const { name: _title, ...workload } = JSON.parse(
      await readFile('seeds/workloads/base-model-commodity.json', 'utf8'),
    ) as Record<string, unknown>;
    const saved = await call(0, 'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }', {
      w: workload,
    });
    const id = saved?.saveDecision?.id ?? '';
    await call(1, `mutation { watchDecision(id: "${id}", channel: "C0REPLICAS") { id } }`);
    const stream = subscribeOverSse<{ decisionChanged: { id: string; changeId: string; summary: string } }>(
      replicas[0]?.url ?? '',
      viewer,
      'subscription W($id: ID!) { decisionChanged(id: $id) { id changeId summary } }',
      { id },
    );
    // Let the subscription take its first look before anything changes.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await call(1, editTokens('1000'));
    await call(0, editTokens('0.22'));
    await call(1, editTokens('1000'));
    await call(
      1,
      'mutation($input: ImportBenchmarkResultsInput!) { importBenchmarkResults(input: $input) { fileName } }',
      {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-instruct-base',
          files: [
            { name: 'vllm-new.json', content: await readFile('test/fixtures/imports/vllm-new.json', 'utf8') },
          ],
        },
      },
    );

    const changes = await waitFor(
      'every change to be re-evaluated and every version posted',
      async () => {
        const rows = await database.prisma.evidenceChange.findMany({ orderBy: { createdAt: 'asc' } });
        const unposted = await database.prisma.decisionVersion.count({ where: { notifiedAt: null } });
        return rows.length === 4 && rows.every((row) => row.processedAt !== null) && unposted === 0
          ? rows
          : null;
      },
      { timeoutMs: 60_000, intervalMs: 200, describe: () => replicas.map((r) => r.output()).join('\n') },
    );
    expect(changes.map((change) => change.kind)).toEqual([
      'PRICE_VALUE',
      'PRICE_VALUE',
      'PRICE_VALUE',
      'BENCHMARK_RESULT',
    ]);
    // Claimed by one replica each (the claim names it), whichever got there first.
    const names = replicas.map((replica) => `:${replica.port}`);
    for (const change of changes)
      expect(
        names.some((name) => change.processedBy?.endsWith(name)),
        String(change.processedBy),
      ).toBe(true);

    const versions = await database.prisma.decisionVersion.findMany({
      where: { decisionId: id },
      orderBy: { createdAt: 'asc' },
    });
    // One version per change that moved the answer, never two for one change.
    expect(new Set(versions.map((version) => version.changeId)).size).toBe(versions.length);
    expect(versions.map((version) => version.changeId)).toEqual(changes.map((change) => change.id));
    const benchmark = versions[3]?.explanation as unknown as Explanation;
    expect(benchmark.causes.filter((cause) => cause.verified).map((cause) => cause.kind)).toEqual([
      'BENCHMARK_RESULT',
    ]);

    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(versions.length);
    expect(posts.map((post) => post.params.channel)).toEqual(versions.map(() => 'C0REPLICAS'));
    expect(String(posts[0]?.params.text)).toContain('bedrock-on-demand-8b-output rose from $0.22 to $1,000');

    // The subscription on replica A saw every version, including those replica B recorded.
    await waitFor(
      'the subscription to deliver every version',
      () => stream.received.length >= versions.length,
      {
        timeoutMs: 10_000,
      },
    );
    stream.close();
    await stream.done;
    expect(stream.failure()).toBeNull();
    expect(stream.received.map((event) => event.decisionChanged.id)).toEqual(
      versions.map((version) => version.id),
    );
    expect(stream.received[0]?.decisionChanged.summary).toMatch(
      /^recommendation flipped from bedrock-on-demand to /,
    );
  }, 180_000);
});
