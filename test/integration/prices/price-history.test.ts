import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartRoute } from '../../../src/api/http/charts';
import { priceHistoryCsvRoute } from '../../../src/api/http/price-history-csv';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { answerWorkload, STORED_ANALYSES, toAnswer } from '../../../src/app/decisions/answer';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/** Everything a decision answers, so "the same answer" means the same in every field. */
const ANSWER_FIELDS = /* GraphQL */ `
  computedAt billingRule roundingRule requestsPerMonth tokensPerMonth
  paths {
    optionId pathSlug pathKind requestedVariant servedVariant servedAs failedAxes
    monthlyCost { amount currency } costLow { amount } costHigh { amount } commitment { amount }
    unitsNeeded decodeTokensPerSecond effectiveTtftP95Ms acceptedRate leadTimeDays windows { reading billedWindowsPerMonth billedCopyHoursPerMonth warmHoursPerMonth coldStartsPerMonth }
    costLines { label amount { amount } formula priceComponentIds }
    verdicts { axis pass sentence shortfall evidenceIds }
  }
  excluded { pathSlug variantSlug reason }
  minimalKeptSets { kept unlocked { optionId monthlyCost { amount } shortfalls { axis shortfall } } }
  feasible { optionId monthlyCost { amount } }
  pareto
  recommendation { optionId kept monthlyCost { amount } reasons }
  breakEvens { optionA optionB summary activeCopyHours crossings { requestsPerMonth costA { amount } costB { amount } kind method cheaperBelow } }
  sensitivity { input priceComponentId description baseline flipsAt newRecommendation searched }
  warnings { code optionId affectsRecommendation evidenceIds message }
`;

type Answer = Record<string, unknown>;

async function workloadFile(name: string) {
  const { name: _title, ...fields } = JSON.parse(
    await readFile(`seeds/workloads/${name}.json`, 'utf8'),
  ) as Record<string, unknown>;
  return fields;
}

describe('dated price history', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  const history = async (slug: string) => {
    const { body } = await api.run<{
      servingPaths: {
        priceComponents: {
          slug: string;
          price: { amount: string };
          asOf: string;
          history: {
            price: { amount: string };
            effectiveFrom: string;
            source: string;
            confidence: string;
            recordedBy: string;
          }[];
        }[];
      }[];
    }>(
      '{ servingPaths { priceComponents { slug price { amount } asOf history { price { amount } effectiveFrom source confidence recordedBy } } } }',
      {},
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const component = body.data?.servingPaths
      .flatMap((path) => path.priceComponents)
      .find((item) => item.slug === slug);
    if (!component) throw new Error(`no price component ${slug}`);
    return component;
  };

  it('seeds every dated figure: the November 2026 re-check beside the old values', async () => {
    const spark = await history('dgx-spark-purchase');
    expect(spark.price.amount).toBe('4699');
    expect(
      spark.history.map((value) => [value.price.amount, value.effectiveFrom.slice(0, 10), value.confidence]),
    ).toEqual([
      ['4699', '2026-04-01', 'S'],
      ['3999', '2025-10-15', 'C'],
    ]);
    const p5 = await history('ec2-p5-on-demand-hour');
    expect(p5.history.map((value) => value.price.amount)).toEqual(['55.04', '55.04', '98.32']);
    expect(p5.asOf.slice(0, 10)).toBe('2026-03-01');
  });

  it('an edit adds a value and overwrites nothing; the audit names the value added', async () => {
    const { body } = await api.run<{ updatePriceComponent: { price: { amount: string } } }>(
      `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-input", input: { amount: "0.20", source: "test: AWS pricing page re-read", asOf: "2026-11-20T00:00:00Z", confidence: C }) { price { amount } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.updatePriceComponent.price.amount).toBe('0.2');
    const input = await history('bedrock-on-demand-8b-input');
    expect(input.history.map((value) => [value.price.amount, value.recordedBy])).toEqual([
      ['0.2', expect.stringMatching(/test-admin/)],
      ['0.22', 'seed'],
    ]);
    const audit = await database.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'price.update' },
      orderBy: { at: 'desc' },
    });
    expect((audit.after as { addedValueId: string | null }).addedValueId).toMatch(/\w+/);
  });

  it('refuses a future asOf with the field named', async () => {
    const { body } = await api.run(
      `query($w: WorkloadInput!) { decide(workload: $w, asOf: "2999-01-01T00:00:00Z") { computedAt } }`,
      { w: await workloadFile('latency-slo-30') },
      { as: 'VIEWER' },
    );
    expect(body.errors?.[0]?.message).toMatch(/asOf: is in the future/);
  });

  it('decide(asOf: savedAt) reproduces a saved decision exactly after later price, result, evaluation and access edits', async () => {
    const workload = await workloadFile('latency-slo-30');
    const saved = await api.run<{ saveDecision: { id: string; createdAt: string; decision: Answer } }>(
      `mutation($w: WorkloadInput!) { saveDecision(workload: $w, keep: [FAST]) { id createdAt decision { ${ANSWER_FIELDS} } } }`,
      { w: workload },
      { as: 'VIEWER' },
    );
    expect(saved.body.errors).toBeUndefined();
    const savedDecision = saved.body.data?.saveDecision;
    if (!savedDecision) throw new Error('not saved');
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Later evidence of every kind: a price edit, a result measured earlier but stored now, an
    // evaluation, an access attempt.
    const edit = await api.run(
      `mutation { updatePriceComponent(slug: "dgx-spark-purchase", input: { amount: "2999", source: "test: a later discount", asOf: "2026-01-01T00:00:00Z" }) { slug } }`,
    );
    expect(edit.body.errors).toBeUndefined();
    const prisma = database.prisma;
    const variant = await prisma.modelVariant.findUniqueOrThrow({ where: { slug: 'llama-3.1-8b-lora' } });
    const spark = await prisma.servingPath.findUniqueOrThrow({ where: { slug: 'dgx-spark' } });
    await prisma.benchmarkResult.create({
      data: {
        pathId: spark.id,
        boxId: spark.boxId,
        variantId: variant.id,
        source: 'IMPORT',
        sourceTool: 'test',
        fingerprint: 'test:later-result',
        profileKey: 'concurrency=1',
        concurrency: 1,
        decodeTokensPerSecond: 95,
        outputTokensPerSecond: 95,
        summary: {},
        measuredAt: new Date('2026-01-01T00:00:00Z'),
      },
    });
    const questionSet = await prisma.questionSet.findFirstOrThrow();
    await prisma.qualityEvaluation.create({
      data: {
        slug: 'test-later-eval',
        variantId: variant.id,
        questionSetId: questionSet.id,
        withRetrieval: true,
        judges: ['judge-a', 'judge-b'],
        accepted: 1,
        total: 100,
        source: 'test',
        evaluatedAt: new Date(),
      },
    });
    const accessPath = await prisma.accessPath.findFirstOrThrow({ where: { servingPathId: spark.id } });
    await prisma.accessAttempt.create({
      data: {
        accessPathId: accessPath.id,
        requestedAt: new Date('2026-01-01T00:00:00Z'),
        outcome: 'DENIED',
        recordedBy: 'test',
      },
    });

    const now = await api.run<{ decide: Answer }>(
      `query($w: WorkloadInput!) { decide(workload: $w, keep: [FAST]) { ${ANSWER_FIELDS} } }`,
      { w: workload },
      { as: 'VIEWER' },
    );
    expect(now.body.errors).toBeUndefined();
    // The later evidence does change today's answer, so the comparison below can fail.
    expect(now.body.data?.decide).not.toEqual(savedDecision.decision);

    const asOf = await api.run<{ decide: Answer }>(
      `query($w: WorkloadInput!, $at: DateTime!) { decide(workload: $w, keep: [FAST], asOf: $at) { ${ANSWER_FIELDS} } }`,
      { w: workload, at: savedDecision.createdAt },
      { as: 'VIEWER' },
    );
    expect(asOf.body.errors).toBeUndefined();
    expect(asOf.body.data?.decide).toEqual(savedDecision.decision);

    // And the stored JSON itself, every exact decimal, recomputes identically (with the analyses a
    // stored answer keeps: curves are drawn afresh, not stored).
    const row = await prisma.decision.findUniqueOrThrow({
      where: { id: savedDecision.id },
      include: { workload: true },
    });
    const recomputed = await answerWorkload(
      prisma,
      row.workload.input,
      { keep: ['FAST'], analyses: STORED_ANALYSES },
      row.createdAt,
    );
    expect(toAnswer(recomputed.decision)).toEqual(row.answer);
  });
});

describe('price history over HTTP', () => {
  let database: TestDatabase;
  let server: ApiServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: false,
      publicCatalog: true,
      routes: [priceHistoryCsvRoute(database.prisma, true), chartRoute(database.prisma, true)],
    });
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('exports every dated value as CSV, exact amounts, the one in effect marked', async () => {
    const response = await fetch(
      `${server.url}/export/price-history.csv?component=dgx-spark-purchase,ec2-p5-on-demand-hour`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^component,path,kind,unit,region,amount,currency,effective_from,confidence,/);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((row) => [row[0], row[5], row[7], row.at(-1)])).toEqual([
      ['dgx-spark-purchase', '3999', '2025-10-15', 'false'],
      ['dgx-spark-purchase', '4699', '2026-04-01', 'true'],
      ['ec2-p5-on-demand-hour', '98.32', '2023-07-26', 'false'],
      ['ec2-p5-on-demand-hour', '55.04', '2025-06-05', 'false'],
      ['ec2-p5-on-demand-hour', '55.04', '2026-03-01', 'true'],
    ]);
    const unknown = await fetch(`${server.url}/export/price-history.csv?component=no-such-price`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/Unknown price component "no-such-price"/);
  });

  it('draws /charts/price-history.svg and .png from the stored values', async () => {
    const svg = await fetch(`${server.url}/charts/price-history.svg?component=dgx-spark-purchase`);
    expect(svg.status).toBe(200);
    const text = await svg.text();
    expect(text).toContain('$3,999 (C)');
    expect(text).toContain('$4,699 (S)');
    const png = await fetch(`${server.url}/charts/price-history.png?component=dgx-spark-purchase`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const unknown = await fetch(`${server.url}/charts/price-history.svg?component=nope`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/No price component "nope"/);
  });
});
