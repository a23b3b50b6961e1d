import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionVersionRoute } from '../../../src/api/http/decision-versions';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { slackWatchNotifier } from '../../../src/app/decisions/slack-notifier';
import { runWatchRound, startDecisionWatcher } from '../../../src/app/decisions/watch';
import { type Database, openDatabase } from '../../../src/db/connection';
import { FakeSlackServer } from '../../fakes/slack-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

async function labWorkload() {
  const { name: _title, ...fields } = JSON.parse(
    await readFile('seeds/workloads/base-model-commodity.json', 'utf8'),
  ) as Record<string, unknown>;
  return fields;
}

// The commodity workload rides on per-token prices; a steep output price sends it to the Spark.
const editTokens = (amount: string) =>
  `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-output", input: { amount: "${amount}", source: "test: a later price page", asOf: "${new Date().toISOString()}" }) { slug } }`;

describe('watched decisions', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let server: ApiServer;
  const slack = new FakeSlackServer();
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    await slack.start();
    server = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: false,
      publicCatalog: true,
      routes: [decisionVersionRoute(database.prisma, true)],
    });
  });
  afterAll(async () => {
    await server.close();
    await slack.stop();
    await database.drop();
  });

  it('a price edit flips a watched decision: one version naming the verified cause, one Slack post with the before/after link', async () => {
    const saved = await api.run<{
      saveDecision: { id: string; decision: { recommendation: { pathSlug: string } } };
    }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id decision { recommendation { pathSlug } } } }',
      { w: await labWorkload() },
      { as: 'VIEWER' },
    );
    expect(saved.body.errors).toBeUndefined();
    const id = saved.body.data?.saveDecision.id ?? '';
    expect(saved.body.data?.saveDecision.decision.recommendation.pathSlug).toBe('bedrock-on-demand');
    const watch = await api.run(
      `mutation { watchDecision(id: "${id}", channel: "C0WATCH") { channel } }`,
      {},
      { as: 'VIEWER' },
    );
    expect(watch.body.errors).toBeUndefined();

    // An edit that moves nothing the decision shows records no version.
    const notifier = slackWatchNotifier('xoxb-test-token', slack.apiUrl);
    const noise = await api.run(
      `mutation { updatePriceComponent(slug: "ec2-p5-on-demand-hour", input: { amount: "55.05", source: "test: rounding", asOf: "${new Date().toISOString()}" }) { slug } }`,
    );
    expect(noise.body.errors).toBeUndefined();
    await runWatchRound(database.prisma, 'replica-a', notifier, server.url);
    expect(await database.prisma.decisionVersion.count({ where: { decisionId: id } })).toBe(0);

    expect((await api.run(editTokens('1000'))).body.errors).toBeUndefined();
    await runWatchRound(database.prisma, 'replica-a', notifier, server.url);
    await runWatchRound(database.prisma, 'replica-b', notifier, server.url);

    const versions = await api.run<{
      savedDecision: {
        versions: {
          summary: string;
          explanation: { causes: { input: string; verified: boolean }[] };
          decision: { recommendation: { pathSlug: string } };
        }[];
      };
    }>(
      `query { savedDecision(id: "${id}") { versions { summary explanation decision { recommendation { pathSlug } } } } }`,
      {},
      { as: 'VIEWER' },
    );
    expect(versions.body.errors).toBeUndefined();
    const [version, ...others] = versions.body.data?.savedDecision.versions ?? [];
    expect(others).toEqual([]);
    const newPath = version?.decision.recommendation.pathSlug;
    expect(newPath).toBe('dgx-spark');
    expect(version?.summary).toMatch(
      /^recommendation flipped from bedrock-on-demand to dgx-spark because bedrock-on-demand-8b-output rose from \$0\.22 to \$1,000 on \d{4}-\d{2}-\d{2}/,
    );
    expect(version?.explanation.causes.filter((cause) => cause.verified)).toEqual([
      { input: 'bedrock-on-demand-8b-output', verified: true, text: expect.any(String) },
    ]);

    const posts = slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.params.channel).toBe('C0WATCH');
    const text = String(posts[0]?.params.text);
    expect(text).toContain('bedrock-on-demand-8b-output rose from $0.22 to $1,000');
    const link = /Before and after: (\S+)$/.exec(text)?.[1] ?? '';
    const beforeAfter = (await (await fetch(link)).json()) as {
      before: { answer: { recommendation: { optionId: string } } };
      after: { answer: { recommendation: { optionId: string } } };
    };
    expect(beforeAfter.before.answer.recommendation.optionId).toMatch(/^bedrock-on-demand\//);
    expect(beforeAfter.after.answer.recommendation.optionId).toMatch(/^dgx-spark\//);
  });
});

describe.skipIf(!usingPostgres())('two API replicas on PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: { db: Database; server: ApiServer; stop: () => Promise<void> }[] = [];
  const slack = new FakeSlackServer();
  beforeAll(async () => {
    database = await createTestDatabase();
    await slack.start();
    for (const name of ['a', 'b']) {
      const db = await openDatabase({ kind: 'postgres', url: database.url ?? '' });
      const server = await startApiServer({
        prisma: db.prisma,
        host: '127.0.0.1',
        port: 0,
        isProduction: false,
        publicCatalog: true,
      });
      const stop = startDecisionWatcher(db.prisma, {
        replica: `replica-${name}`,
        notifier: slackWatchNotifier('xoxb-test-token', slack.apiUrl),
        publicUrl: server.url,
        intervalMs: 50,
      });
      replicas.push({ db, server, stop });
    }
  });
  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      await replica.server.close();
      await replica.db.close();
    }
    replicas = [];
    await slack.stop();
    await database.drop();
  });

  it('each change is re-evaluated once, and each new version posted once', async () => {
    const admin = (await createApiToken(database.prisma, { name: 'test-admin', role: 'ADMIN' })).token;
    const call = async (replica: number, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${replicas[replica]?.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const saved = await call(0, 'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }', {
      w: await labWorkload(),
    });
    const id = saved?.saveDecision?.id ?? '';
    await call(1, `mutation { watchDecision(id: "${id}", channel: "C0REPLICAS") { id } }`);
    // Up and down and up again, alternating replicas: three changes, each moving the recommendation.
    await call(0, editTokens('1000'));
    await call(1, editTokens('0.22'));
    await call(0, editTokens('1000'));
    const deadline = Date.now() + 30_000;
    while (
      (await database.prisma.evidenceChange.count({ where: { processedAt: null } })) > 0 &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const changes = await database.prisma.evidenceChange.findMany();
    expect(changes).toHaveLength(3);
    const versions = await database.prisma.decisionVersion.findMany({ where: { decisionId: id } });
    expect(versions).toHaveLength(3);
    expect(new Set(versions.map((version) => version.changeId)).size).toBe(3);
    const posts = slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts).toHaveLength(3);
  });
});
