import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionVersionRoute } from '../../../src/api/http/decision-versions';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { slackWatchNotifier } from '../../../src/app/decisions/slack-notifier';
import {
  type Explanation,
  recordDuePriceChanges,
  reevaluateNextChange,
  runWatchRound,
  startDecisionWatcher,
} from '../../../src/app/decisions/watch';
import { recordPriceValue } from '../../../src/app/prices/record-value';
import { type Database, openDatabase } from '../../../src/db/connection';
import { FakeSlackServer } from '../../fakes/slack-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';
import { subscribeOverSse } from '../../support/sse-subscription';

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
      { kind: 'PRICE_VALUE', input: 'bedrock-on-demand-8b-output', verified: true, text: expect.any(String) },
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
  it('decisionChanged delivers the new version over a real HTTP SSE connection', async () => {
    const saved = await api.run<{ saveDecision: { id: string } }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
      { w: await labWorkload() },
      { as: 'VIEWER' },
    );
    const id = saved.body.data?.saveDecision.id ?? '';
    expect((await api.run(`mutation { watchDecision(id: "${id}") { id } }`)).body.errors).toBeUndefined();
    const stream = subscribeOverSse<{ decisionChanged: { id: string; summary: string } }>(
      server.url,
      api.tokens.VIEWER,
      'subscription W($id: ID!) { decisionChanged(id: $id) { id summary } }',
      { id },
    );
    // Let the subscription take its first look, then move the answer back to per-token prices.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await api.run(editTokens('0.22'))).body.errors).toBeUndefined();
    await runWatchRound(database.prisma, 'replica-a', null, server.url);
    const [version] = await database.prisma.decisionVersion.findMany({ where: { decisionId: id } });
    expect(version?.summary).toMatch(/^recommendation flipped from dgx-spark to bedrock-on-demand because/);
    const deadline = Date.now() + 10_000;
    while (stream.received.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    stream.close();
    await stream.done;
    expect(stream.failure()).toBeNull();
    expect(stream.received).toEqual([{ decisionChanged: { id: version?.id, summary: version?.summary } }]);
  });
});

describe('watched decisions re-check on results, evaluations and access attempts', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  const saveAndWatch = async (workload: Record<string, unknown>) => {
    const saved = await api.run<{ saveDecision: { id: string } }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
      { w: workload },
      { as: 'VIEWER' },
    );
    expect(saved.body.errors).toBeUndefined();
    const id = saved.body.data?.saveDecision.id ?? '';
    const watched = await api.run(`mutation { watchDecision(id: "${id}") { id } }`, {}, { as: 'VIEWER' });
    expect(watched.body.errors).toBeUndefined();
    return id;
  };

  it('a new benchmark result re-evaluates the watched decisions it touches, once, and the version names it', async () => {
    const commodity = await saveAndWatch(await labWorkload());
    const imported = await api.run<{ importBenchmarkResults: { results: { resultId: string }[] }[] }>(
      `mutation($input: ImportBenchmarkResultsInput!) { importBenchmarkResults(input: $input) { results { resultId } } }`,
      {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-instruct-base',
          files: [
            { name: 'vllm-new.json', content: await readFile('test/fixtures/imports/vllm-new.json', 'utf8') },
          ],
        },
      },
      { as: 'OPERATOR' },
    );
    expect(imported.body.errors).toBeUndefined();
    const resultId = imported.body.data?.importBenchmarkResults[0]?.results[0]?.resultId ?? '';
    const change = await database.prisma.evidenceChange.findFirstOrThrow({ where: { subjectId: resultId } });
    expect(change.kind).toBe('BENCHMARK_RESULT');
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.changeId).toBe(change.id);
    expect(handled?.reevaluated).toEqual([commodity]);
    const [version, ...others] = await database.prisma.decisionVersion.findMany({
      where: { decisionId: commodity },
    });
    expect(others).toEqual([]);
    expect(version?.changeId).toBe(change.id);
    expect(version?.summary).toMatch(
      /^dgx-spark\/llama-3\.1-8b-instruct-base costs \$[\d,.]+\/month \(was \$[\d,.]+\) because a new benchmark result on dgx-spark measured llama-3\.1-8b-instruct-base at 20\.4 tok\/s decode per stream at concurrency 4/,
    );
    const explanation = version?.explanation as unknown as Explanation;
    expect(explanation.causes).toEqual([
      { kind: 'BENCHMARK_RESULT', input: resultId, verified: true, text: expect.any(String) },
    ]);
    // Handled once: nothing is left to claim, and a second replica's round records nothing more.
    expect(await reevaluateNextChange(database.prisma, 'replica-b')).toBeNull();
    expect(await database.prisma.decisionVersion.count({ where: { decisionId: commodity } })).toBe(1);
  });

  it('a capacity-fact edit re-checks the watched decisions on its path, and the version names the fact as the verified cause', async () => {
    let left = await reevaluateNextChange(database.prisma, 'replica-a');
    while (left) left = await reevaluateNextChange(database.prisma, 'replica-a');
    const commodity = await saveAndWatch(await labWorkload());
    const costOfPt = async () =>
      (
        (await database.prisma.decision.findUniqueOrThrow({ where: { id: commodity } }))
          .answer as unknown as {
          options: { pathSlug: string; cost: { total: string } }[];
        }
      ).options.find((option) => option.pathSlug === 'bedrock-pt')?.cost.total;
    expect(await costOfPt()).toBeDefined();
    // A hundredth of the assumed tokens per model unit: Provisioned Throughput needs many more units.
    const edited = await api.run(
      'mutation($input: CatalogInput!) { editCatalog(input: $input) { entityType slug action } }',
      {
        input: {
          capacityFacts: [
            { slug: 'bedrock-pt-tokens-per-unit', value: '600', source: 'test: our own PT measurement' },
          ],
        },
      },
      { as: 'ADMIN' },
    );
    expect(edited.body.errors).toBeUndefined();
    const change = await database.prisma.evidenceChange.findFirstOrThrow({
      where: { kind: 'CAPACITY_FACT' },
      orderBy: { createdAt: 'desc' },
    });
    expect(change.summary).toBe('bedrock-pt-tokens-per-unit: 60000 → 600');
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.changeId).toBe(change.id);
    expect(handled?.reevaluated).toContain(commodity);
    const version = await database.prisma.decisionVersion.findFirstOrThrow({
      where: { decisionId: commodity, changeId: change.id },
    });
    expect(version.summary).toContain('bedrock-pt');
    expect(version.summary).toContain(
      'because capacity bedrock-pt-tokens-per-unit on bedrock-pt fell from 60000 to 600 (an assumption)',
    );
    const explanation = version.explanation as unknown as Explanation;
    expect(explanation.causes).toEqual([
      {
        kind: 'CAPACITY_FACT',
        input: 'bedrock-pt-tokens-per-unit',
        verified: true,
        text: expect.any(String),
      },
    ]);
    // An edit that changes only the source moves no capacity: no change is recorded for it.
    const before = await database.prisma.evidenceChange.count({ where: { kind: 'CAPACITY_FACT' } });
    const sourceOnly = await api.run(
      'mutation($input: CatalogInput!) { editCatalog(input: $input) { slug } }',
      { input: { capacityFacts: [{ slug: 'bedrock-pt-tokens-per-unit', source: 'test: reworded' }] } },
      { as: 'ADMIN' },
    );
    expect(sourceOnly.body.errors).toBeUndefined();
    expect(await database.prisma.evidenceChange.count({ where: { kind: 'CAPACITY_FACT' } })).toBe(before);
  });

  it('a price recorded ahead of its date re-checks the watched decisions once, when it takes effect', async () => {
    const commodity = await saveAndWatch(await labWorkload());
    const component = await database.prisma.priceComponent.findUniqueOrThrow({
      where: { slug: 'bedrock-on-demand-8b-output' },
    });
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const tomorrow = new Date(today.getTime() + 86_400_000);
    const changesBefore = await database.prisma.evidenceChange.count();
    await database.prisma.$transaction((tx) =>
      recordPriceValue(tx, {
        componentId: component.id,
        amount: '1000',
        effectiveFrom: tomorrow,
        source: 'test: a price list published for tomorrow',
        confidence: 'C',
        recordedBy: 'test',
      }),
    );
    // Not in effect yet: nothing changed, nothing to record.
    expect(await database.prisma.evidenceChange.count()).toBe(changesBefore);
    expect(await recordDuePriceChanges(database.prisma)).toBe(0);
    // Tomorrow (noon), twice: recorded once.
    const noon = new Date(tomorrow.getTime() + 12 * 3_600_000);
    expect(await recordDuePriceChanges(database.prisma, noon)).toBe(1);
    expect(await recordDuePriceChanges(database.prisma, noon)).toBe(0);
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.reevaluated).toContain(commodity);
    const [version] = await database.prisma.decisionVersion.findMany({ where: { decisionId: commodity } });
    expect(version?.summary).toMatch(
      new RegExp(
        `^recommendation flipped from bedrock-on-demand to \\S+ because bedrock-on-demand-8b-output rose from \\$0\\.22 to \\$1,000 on ${tomorrow.toISOString().slice(0, 10)}`,
      ),
    );
  });

  it('a quality evaluation of the fine-tune re-evaluates the decision that serves it, not the base-model one', async () => {
    const commodity = await saveAndWatch(await labWorkload());
    const { name: _title, ...latency } = JSON.parse(
      await readFile('seeds/workloads/latency-slo-30.json', 'utf8'),
    ) as Record<string, unknown>;
    // Asks for 95% accepted, more than the 70% the seeded evaluation of the LoRA shows.
    const custom = await saveAndWatch({ ...latency, minAcceptedRate: 0.95 });
    const recorded = await api.run<{ recordQualityEvaluation: { slug: string } }>(
      `mutation($input: RecordQualityEvaluationInput!) { recordQualityEvaluation(input: $input) { slug } }`,
      {
        input: {
          variant: 'llama-3.1-8b-lora',
          questionSetSlug: 'lab-frozen-30',
          withRetrieval: true,
          judges: ['strict', 'frontier'],
          accepted: 29,
          total: 30,
          source: 'test: a better adapter',
          evaluatedAt: new Date().toISOString(),
        },
      },
      { as: 'OPERATOR' },
    );
    expect(recorded.body.errors).toBeUndefined();
    const slug = recorded.body.data?.recordQualityEvaluation.slug ?? '';
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.reevaluated).toContain(custom);
    expect(handled?.reevaluated).not.toContain(commodity);
    const versions = await database.prisma.decisionVersion.findMany({ where: { decisionId: custom } });
    expect(versions).toHaveLength(1);
    const explanation = versions[0]?.explanation as unknown as Explanation;
    expect(explanation.causes.filter((cause) => cause.verified)).toEqual([
      {
        kind: 'QUALITY_EVALUATION',
        input: slug,
        verified: true,
        text: expect.stringContaining('accepted 29 of 30'),
      },
    ]);
    expect(versions[0]?.summary).toContain(`because quality evaluation ${slug} accepted 29 of 30`);
  });

  it('a price edit that moves no recommendation, verdict or kept set and a cost by less than 5% records no version', async () => {
    const commodity = await saveAndWatch(await labWorkload());
    let left = await reevaluateNextChange(database.prisma, 'replica-a');
    while (left) left = await reevaluateNextChange(database.prisma, 'replica-a');
    const versionsBefore = await database.prisma.decisionVersion.count({ where: { decisionId: commodity } });
    // The recommended per-token path's input price, up by half a percent.
    const edited = await api.run(
      `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-input", input: { amount: "0.221", source: "test: a rounding on the price page", asOf: "${new Date().toISOString()}" }) { slug } }`,
      {},
      { as: 'ADMIN' },
    );
    expect(edited.body.errors).toBeUndefined();
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.reevaluated).toContain(commodity);
    expect(handled?.versions.filter((version) => version.decisionId === commodity)).toEqual([]);
    expect(await database.prisma.decisionVersion.count({ where: { decisionId: commodity } })).toBe(
      versionsBefore,
    );
  });

  it('an access attempt re-evaluates the watched decisions that weigh its serving path, once; one on a path that serves nothing touches none', async () => {
    const commodity = await saveAndWatch(await labWorkload());
    // Drain what earlier tests left, so the next claim is the attempt's change.
    let left = await reevaluateNextChange(database.prisma, 'replica-a');
    while (left) left = await reevaluateNextChange(database.prisma, 'replica-a');
    const versionsBefore = await database.prisma.decisionVersion.count({ where: { decisionId: commodity } });
    const record = async (accessPath: string) => {
      const recorded = await api.run<{ recordAccessAttempt: { id: string } }>(
        `mutation($input: RecordAccessAttemptInput!) { recordAccessAttempt(input: $input) { id } }`,
        {
          input: {
            accessPath,
            requestedAt: new Date(Date.now() - 3_600_000).toISOString(),
            answeredAt: new Date().toISOString(),
            outcome: 'DENIED',
            notes: 'test: refused',
          },
        },
        { as: 'OPERATOR' },
      );
      expect(recorded.body.errors).toBeUndefined();
      const id = recorded.body.data?.recordAccessAttempt.id ?? '';
      const change = await database.prisma.evidenceChange.findFirstOrThrow({ where: { subjectId: id } });
      expect(change.kind).toBe('ACCESS_ATTEMPT');
      return change;
    };

    // dgx-spark-purchase serves the dgx-spark path, which the commodity answer weighed.
    const spark = await record('dgx-spark-purchase');
    const handled = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(handled?.changeId).toBe(spark.id);
    expect(handled?.reevaluated).toContain(commodity);
    // Any version it recorded names the attempt as a cause.
    for (const version of handled?.versions ?? []) {
      const row = await database.prisma.decisionVersion.findUniqueOrThrow({
        where: { id: version.versionId },
      });
      expect(row.changeId).toBe(spark.id);
      const explanation = row.explanation as unknown as Explanation;
      expect(explanation.causes.map((cause) => cause.kind)).toContain('ACCESS_ATTEMPT');
    }
    // Handled once: a second replica finds nothing to claim.
    expect(await reevaluateNextChange(database.prisma, 'replica-b')).toBeNull();
    expect(await database.prisma.evidenceChange.findUniqueOrThrow({ where: { id: spark.id } })).toMatchObject(
      {
        processedBy: 'replica-a',
        processedAt: expect.any(Date),
      },
    );

    // The hyperscaler quota form serves no path floorplan prices: nothing is re-evaluated.
    const form = await record('hyperscaler-gpu-quota-form');
    const none = await reevaluateNextChange(database.prisma, 'replica-a');
    expect(none?.changeId).toBe(form.id);
    expect(none?.reevaluated).toEqual([]);
    expect(none?.versions).toEqual([]);
    expect(await database.prisma.decisionVersion.count({ where: { decisionId: commodity } })).toBe(
      versionsBefore + (handled?.versions.length ?? 0),
    );
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
