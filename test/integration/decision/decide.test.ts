import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../src/api/graphql/schema';
import { savedAnswerReads } from '../../../src/app/decisions/saved-answers';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const DECIDE = /* GraphQL */ `
  query Decide($workload: WorkloadInput!, $keep: [Axis!]) {
    decide(workload: $workload, keep: $keep) {
      paths {
        optionId pathSlug servedAs failedAxes
        monthlyCost { amount currency }
        costLines { label amount { amount } formula priceComponentIds }
        verdicts { axis pass sentence shortfall evidenceIds }
      }
      minimalKeptSets { kept unlocked { pathSlug variantSlug monthlyCost { amount } shortfalls { axis shortfall } } }
      feasible { pathSlug }
      notEligible { optionId pathSlug reason }
      recommendation { pathSlug variantSlug kept reasons monthlyCost { amount } shortfalls { axis shortfall } }
      noRecommendation { code message }
      breakEvens { optionA optionB crossings { requestsPerMonth tokensPerMonth kind method } activeCopyHours }
      warnings { code message affectsRecommendation }
    }
  }
`;

interface DecideData {
  decide: {
    paths: {
      optionId: string;
      pathSlug: string;
      servedAs: string;
      failedAxes: string[];
      monthlyCost: { amount: string };
      costLines: { label: string; priceComponentIds: string[] }[];
      verdicts: { axis: string; pass: boolean; shortfall: string | null; evidenceIds: string[] }[];
    }[];
    minimalKeptSets: {
      kept: string[];
      unlocked: { pathSlug: string; shortfalls: { shortfall: string }[] }[];
    }[];
    feasible: { pathSlug: string }[] | null;
    notEligible: { optionId: string; pathSlug: string; reason: string }[];
    recommendation: {
      pathSlug: string;
      variantSlug: string;
      kept: string[];
      reasons: string[];
      monthlyCost: { amount: string };
      shortfalls: { axis: string; shortfall: string }[];
    } | null;
    noRecommendation: { code: string; message: string } | null;
    breakEvens: {
      optionA: string;
      optionB: string;
      activeCopyHours: number | null;
      crossings: { tokensPerMonth: number }[];
    }[];
    warnings: { code: string }[];
  };
}

const customWorkload = {
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
};

describe('decide on the seeded evidence', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  async function decide(workload: Record<string, unknown>, keep?: string[]) {
    const { body } = await api.run<DecideData>(DECIDE, { workload, keep }, { as: 'VIEWER' });
    expect(body.errors).toBeUndefined();
    return body.data?.decide as DecideData['decide'];
  }
  const pathOf = (decision: DecideData['decide'], slug: string) => {
    const found = decision.paths.find((option) => option.pathSlug === slug);
    if (!found) throw new Error(`no option on ${slug}`);
    return found;
  };

  it('reproduces the lab: on-demand serves only the base model, the native fine-tune keeps the weights and hits a quota wall', async () => {
    const decision = await decide(customWorkload);
    const onDemand = pathOf(decision, 'bedrock-on-demand');
    expect(onDemand.servedAs).toBe('BASE_ONLY');
    const quality = onDemand.verdicts.find((verdict) => verdict.axis === 'HIGH_CONFIDENCE');
    expect(quality?.pass).toBe(false);
    expect(quality?.shortfall).toMatch(/47% vs 60% required/);
    const fineTune = pathOf(decision, 'bedrock-fine-tune');
    expect(fineTune.failedAxes).toEqual(expect.arrayContaining(['CONTROLLED', 'AVAILABLE']));
    const spark = pathOf(decision, 'dgx-spark');
    expect(spark.failedAxes).toEqual([]);
    expect(decision.recommendation?.pathSlug).toBe('dgx-spark');
    // Every cost line cites the price components it used.
    expect(spark.costLines.flatMap((line) => line.priceComponentIds)).toContain('dgx-spark-purchase');
  });

  it('keeps token latency on the Spark when the SLO exceeds its measured decode rate', async () => {
    const decision = await decide({ ...customWorkload, minDecodeTokensPerSecond: 30 });
    const spark = pathOf(decision, 'dgx-spark');
    expect(spark.failedAxes).toEqual(['FAST']);
    expect(spark.verdicts.find((verdict) => verdict.axis === 'FAST')?.shortfall).toBe(
      'decode 20.5 tok/s vs 30 required',
    );
    const keepFast = decision.minimalKeptSets.find((set) => set.kept.join() === 'FAST');
    expect(keepFast?.unlocked.map((item) => item.pathSlug)).toContain('dgx-spark');
    expect(decision.recommendation).toMatchObject({ pathSlug: 'dgx-spark', kept: ['FAST'] });
    const keepingLatency = await decide({ ...customWorkload, minDecodeTokensPerSecond: 30 }, ['FAST']);
    expect(keepingLatency.feasible?.[0]?.pathSlug).toBe('dgx-spark');
  });

  // seeds/workloads/lab-retrieval.json, as the issue reports it.
  const labRetrieval = {
    requestsPerDay: 2000,
    meanInputTokens: 900,
    meanOutputTokens: 250,
    activeHoursPerDay: 10,
    activeDaysPerMonth: 22,
    burstiness: 1,
    peakToMean: 2,
    model: 'llama-3.1-8b-lora',
    needsCustomWeights: true,
    mustOwnWeights: true,
    minDecodeTokensPerSecond: 15,
    minAcceptedRate: 0.6,
    neededByDays: 14,
    horizonMonths: 36,
  };

  // 2,000 requests x 250 output tokens over 10 active hours, x2 at peak = 27.8 tok/s: two Sparks at
  // their measured 20.5 tok/s (the seeded 140 tok/s at 8 streams is an estimate, not used while a
  // measurement exists), each at its April 2026 price: 2 x ($4,699 / 36 + power) = 2 x $136.49.
  it('recommends two Sparks at $272.99 under a $100 budget, keeping CHEAP; the base-model stand-in is listed apart', async () => {
    const decision = await decide({ ...labRetrieval, monthlyBudget: '100' });
    expect(decision.recommendation?.pathSlug).toBe('dgx-spark');
    expect(decision.recommendation?.kept).toEqual(['CHEAP']);
    expect(Number(decision.recommendation?.monthlyCost.amount).toFixed(2)).toBe('272.99');
    expect(decision.recommendation?.shortfalls).toEqual([
      { axis: 'CHEAP', shortfall: 'costs $272.99/month vs $100.00 budget' },
    ]);
    expect(decision.recommendation?.reasons[0]).toMatch(/keeps .*CHEAP.* \(accepts a shortfall on/);
    expect(decision.noRecommendation).toBeNull();
    // On-demand ($11.13, fails only HIGH_CONFIDENCE) would be unlocked by keeping HIGH_CONFIDENCE
    // alone, but it serves the base model: not eligible, never in a kept set.
    expect(decision.notEligible.map((item) => item.pathSlug)).toEqual(['bedrock-on-demand']);
    expect(decision.notEligible[0]?.reason).toMatch(/base models only.*needs its custom weights/);
    for (const set of decision.minimalKeptSets)
      for (const unlocked of set.unlocked) expect(unlocked.pathSlug).not.toBe('bedrock-on-demand');
  });

  it('recommends two Sparks at $272.99 (7-day lead time) when needed in 5 days, keeping AVAILABLE', async () => {
    const decision = await decide({ ...labRetrieval, neededByDays: 5 });
    expect(decision.recommendation?.pathSlug).toBe('dgx-spark');
    expect(decision.recommendation?.kept).toEqual(['AVAILABLE']);
    expect(decision.recommendation?.shortfalls).toEqual([
      { axis: 'AVAILABLE', shortfall: 'lead time ~7 days vs 5 needed' },
    ]);
    expect(Number(decision.recommendation?.monthlyCost.amount).toFixed(2)).toBe('272.99');
  });

  it('sizes the Spark on its measurement at 15, 17.5 and 18 tok/s alike: asking for less never lowers confidence', async () => {
    for (const slo of [15, 17.5, 18]) {
      const decision = await decide({ ...labRetrieval, minDecodeTokensPerSecond: slo });
      const spark = pathOf(decision, 'dgx-spark');
      expect(spark.failedAxes).toEqual([]);
      expect(Number(spark.monthlyCost.amount).toFixed(2)).toBe('272.99');
      expect(spark.verdicts.find((verdict) => verdict.axis === 'FAST')?.evidenceIds).toHaveLength(1);
    }
  });

  it('says "no path meets every constraint" under a keep that nothing eligible satisfies', async () => {
    const strict = await decide({ ...labRetrieval, monthlyBudget: '100' }, []);
    expect(strict.recommendation).toBeNull();
    expect(strict.noRecommendation?.code).toBe('NO_PATH_MEETS_CONSTRAINTS');
    expect(strict.noRecommendation?.message).toMatch(
      /No path meets every constraint you did not keep \(you keep nothing\)/,
    );
    expect(strict.feasible).toEqual([]);
    // Keeping every axis makes every eligible path feasible: the cheapest of them, the Spark.
    const keepAll = await decide({ ...labRetrieval, monthlyBudget: '100' }, [
      'FAST',
      'CHEAP',
      'HIGH_CONFIDENCE',
      'CONTROLLED',
      'AVAILABLE',
    ]);
    expect(keepAll.recommendation?.pathSlug).toBe('dgx-spark');
  });

  it('reports only sensitivity flips that re-run to the same answer, never to the base-model stand-in', async () => {
    const { body } = await api.run<{
      decide: {
        recommendation: { optionId: string } | null;
        sensitivity: {
          input: string;
          flipsAt: string | null;
          newRecommendation: string | null;
          flipsAtValue: number | null;
          holdsAtValue: number | null;
          flipsAtPrice: { amount: string } | null;
        }[];
      };
    }>(
      `query($w: WorkloadInput!) { decide(workload: $w) { recommendation { optionId }
        sensitivity { input flipsAt newRecommendation flipsAtValue holdsAtValue flipsAtPrice { amount } } } }`,
      { w: labRetrieval },
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const decision = body.data?.decide;
    expect(decision?.recommendation?.optionId).toBe('dgx-spark/llama-3.1-8b-lora');
    for (const finding of decision?.sensitivity ?? []) {
      expect(finding.newRecommendation ?? '').not.toMatch(/^bedrock-on-demand/);
      expect(finding.flipsAt ?? '').not.toMatch(/[+-]0\.0+%/);
      if (finding.flipsAtPrice) expect(finding.flipsAtPrice.amount).toMatch(/^\d+(\.\d+)?$/);
    }
    // Twenty requests a day with no speed SLO: Custom Model Import's billed windows come close to
    // the Spark, so volume and deadline each flip the answer somewhere. Re-run each flip
    // through the API, at the flip and on today's side of it.
    const sparse = { ...labRetrieval, requestsPerDay: 20, minDecodeTokensPerSecond: null };
    const { body: sparseBody } = await api.run<typeof body.data>(
      `query($w: WorkloadInput!) { decide(workload: $w) { recommendation { optionId }
        sensitivity { input flipsAt newRecommendation flipsAtValue holdsAtValue flipsAtPrice { amount } } } }`,
      { w: sparse },
      { as: 'VIEWER' },
    );
    const findings = (sparseBody.data?.decide.sensitivity ?? []).filter(
      (finding) => finding.flipsAt !== null && finding.input !== 'PRICE',
    );
    expect(findings.map((finding) => finding.input)).toEqual(['VOLUME', 'NEEDED_BY']);
    const field = { VOLUME: 'requestsPerDay', HORIZON: 'horizonMonths', NEEDED_BY: 'neededByDays' } as const;
    for (const finding of findings) {
      const key = field[finding.input as keyof typeof field];
      const valueAt = (value: number | null) => (key === 'requestsPerDay' ? 20 * (value ?? 0) : value);
      const flipped = await decide({ ...sparse, [key]: valueAt(finding.flipsAtValue) });
      expect(`${flipped.recommendation?.pathSlug}/${flipped.recommendation?.variantSlug}`).toBe(
        finding.newRecommendation,
      );
      const held = await decide({ ...sparse, [key]: valueAt(finding.holdsAtValue) });
      expect(held.recommendation?.pathSlug).toBe('dgx-spark');
    }
  });

  it('sensitivity on latency-slo-30 and base-model-commodity re-runs to the answer it reports (item 2)', async () => {
    type Sensitivity = {
      decide: {
        recommendation: { optionId: string } | null;
        sensitivity: {
          input: string;
          flipsAt: string | null;
          newRecommendation: string | null;
          flipsAtValue: number | null;
          holdsAtValue: number | null;
        }[];
      };
    };
    const analyse = async (workload: Record<string, unknown>) => {
      const { body } = await api.run<Sensitivity>(
        `query($w: WorkloadInput!) { decide(workload: $w) { recommendation { optionId }
          sensitivity { input flipsAt newRecommendation flipsAtValue holdsAtValue } } }`,
        { w: workload },
        { as: 'VIEWER' },
      );
      expect(body.errors).toBeUndefined();
      return body.data?.decide as Sensitivity['decide'];
    };
    const recommended = async (workload: Record<string, unknown>) => {
      const decision = await decide(workload);
      return `${decision.recommendation?.pathSlug}/${decision.recommendation?.variantSlug}`;
    };
    // seeds/workloads/latency-slo-30.json: the Spark keeping FAST. The issue saw every price flip at
    // "+0.0%" to the base model; now the one flip is volume, x5.9042 (259,786 requests a month), to
    // Custom Model Import, and it re-runs: 2,000 x 5.9042 a day gives CMI, just below it the Spark.
    const latency = { ...labRetrieval, minDecodeTokensPerSecond: 30, neededByDays: 30 };
    const slo30 = await analyse(latency);
    expect(slo30.recommendation?.optionId).toBe('dgx-spark/llama-3.1-8b-lora');
    const flips30 = slo30.sensitivity.filter((finding) => finding.flipsAt !== null);
    expect(flips30.map((finding) => [finding.input, finding.flipsAt, finding.newRecommendation])).toEqual([
      ['VOLUME', 'x5.9042 (259,786 requests/month)', 'bedrock-cmi/llama-3.1-8b-lora'],
    ]);
    const volume = flips30[0];
    expect(await recommended({ ...latency, requestsPerDay: 2000 * (volume?.flipsAtValue ?? 0) })).toBe(
      'bedrock-cmi/llama-3.1-8b-lora',
    );
    expect(await recommended({ ...latency, requestsPerDay: 2000 * (volume?.holdsAtValue ?? 0) })).toBe(
      'dgx-spark/llama-3.1-8b-lora',
    );
    // seeds/workloads/base-model-commodity.json with a 17.5 tok/s SLO. The issue saw a flip reported at
    // 17.5 where decide at 17.5 does not flip. The Spark decodes 20.5 (measured) and passes all five;
    // the decode-SLO flip is just above 20.5, to on-demand tokens, and decide agrees on both sides.
    const commodity = {
      requestsPerDay: 3000,
      meanInputTokens: 500,
      meanOutputTokens: 200,
      activeHoursPerDay: 8,
      activeDaysPerMonth: 22,
      burstiness: 1,
      peakToMean: 2,
      model: 'llama-3.1-8b-instruct-base',
      needsCustomWeights: false,
      mustOwnWeights: false,
      horizonMonths: 12,
      minDecodeTokensPerSecond: 17.5,
    };
    const base = await analyse(commodity);
    expect(base.recommendation?.optionId).toBe('dgx-spark/llama-3.1-8b-instruct-base');
    const slo = base.sensitivity.find((finding) => finding.input === 'DECODE_SLO');
    expect(slo?.flipsAt).toBe('above 20.5 tok/s (e.g. 20.50002)');
    expect(slo?.holdsAtValue).toBe(20.5);
    expect(slo?.newRecommendation).toBe('bedrock-on-demand/llama-3.1-8b-instruct-base');
    for (const speed of [17.5, 20.5])
      expect(await recommended({ ...commodity, minDecodeTokensPerSecond: speed })).toBe(
        'dgx-spark/llama-3.1-8b-instruct-base',
      );
    expect(await recommended({ ...commodity, minDecodeTokensPerSecond: slo?.flipsAtValue })).toBe(
      'bedrock-on-demand/llama-3.1-8b-instruct-base',
    );
    for (const finding of [...slo30.sensitivity, ...base.sensitivity])
      expect(finding.flipsAt ?? '').not.toMatch(/[+-]0\.0+%/);
  });

  it('bounds every numeric input with BAD_USER_INPUT naming the field and the range, and keeps money exact and plain', async () => {
    const huge = await api.run(
      DECIDE,
      { workload: { ...labRetrieval, requestsPerDay: 1e306 } },
      { as: 'VIEWER' },
    );
    expect(huge.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(huge.body.errors?.[0]?.message).toMatch(
      /workload\.requestsPerDay: requestsPerDay must be 0 to 1,000,000,000 \(got 1e\+306\)/,
    );
    const tokens = await api.run(
      DECIDE,
      { workload: { ...labRetrieval, meanInputTokens: 1e308 } },
      { as: 'VIEWER' },
    );
    expect(tokens.body.errors?.[0]?.message).toMatch(/meanInputTokens must be 0 to 10,000,000/);
    // The top of each range answers.
    const top = await decide({
      ...labRetrieval,
      requestsPerDay: 1e9,
      meanInputTokens: 1e7,
      burstiness: 1000,
    });
    for (const option of top.paths) expect(option.monthlyCost.amount).toMatch(/^\d+(\.\d+)?$/);
    // A 41-digit budget is a plain decimal like any other.
    const rich = await decide({ ...labRetrieval, monthlyBudget: `1${'0'.repeat(40)}` });
    expect(rich.recommendation?.pathSlug).toBe('dgx-spark');
    expect(
      rich.paths
        .find((option) => option.pathSlug === 'dgx-spark')
        ?.verdicts.find((verdict) => verdict.axis === 'CHEAP')?.pass,
    ).toBe(true);
    // Exact prices times exact-enough quantities: no binary-float tails on any amount.
    const decision = await decide(labRetrieval);
    for (const option of decision.paths) {
      expect(option.monthlyCost.amount).toMatch(/^\d+(\.\d{1,10})?$/);
      expect(option.monthlyCost.amount).not.toMatch(/(9{6}|0{6})\d+$/);
    }
    // The horizon may be left out: 36 months.
    const { horizonMonths: _omitted, ...withoutHorizon } = labRetrieval;
    const defaulted = await decide(withoutHorizon);
    expect(pathOf(defaulted, 'dgx-spark').monthlyCost.amount).toBe(
      pathOf(decision, 'dgx-spark').monthlyCost.amount,
    );
  });

  it('bills Custom Model Import at least one window on each of the 22 days with traffic, at burstiness 1000 (item 8)', async () => {
    const query = `query($w: WorkloadInput!) { decide(workload: $w) {
      paths { pathSlug monthlyCost { amount }
        windows { reading billedWindowsPerMonth billedCopyHoursPerMonth warmHoursPerMonth coldStartsPerMonth } } } }`;
    type Windows = {
      decide: {
        paths: {
          pathSlug: string;
          monthlyCost: { amount: string };
          windows: {
            reading: string;
            billedWindowsPerMonth: number;
            billedCopyHoursPerMonth: number;
            warmHoursPerMonth: number;
            coldStartsPerMonth: number;
          } | null;
        }[];
      };
    };
    const cmiAt = async (requestsPerDay: number) => {
      const { body } = await api.run<Windows>(
        query,
        { w: { ...labRetrieval, requestsPerDay, burstiness: 1000, minDecodeTokensPerSecond: null } },
        { as: 'VIEWER' },
      );
      expect(body.errors).toBeUndefined();
      return body.data?.decide.paths.find((option) => option.pathSlug === 'bedrock-cmi');
    };
    // 20 requests a day: so clustered that the renewal model alone would leave most days empty; the
    // workload puts traffic on each of its 22 days, so each bills one 5-minute window, one warm tail
    // and one cold start: 22 windows = 22 x 5 / 60 = 1.8333 copy-hours.
    const sparse = await cmiAt(20);
    expect(sparse?.windows).toMatchObject({
      reading: 'CLOCK_ALIGNED',
      billedWindowsPerMonth: 22,
      coldStartsPerMonth: 22,
    });
    expect(sparse?.windows?.billedCopyHoursPerMonth).toBeCloseTo(22 / 12, 10);
    expect(sparse?.windows?.warmHoursPerMonth).toBeCloseTo(22 / 12, 10);
    // The lab's 2,000 a day at the same burstiness: more than one window a day, never fewer.
    const lab = await cmiAt(2000);
    expect(lab?.windows?.billedWindowsPerMonth).toBeGreaterThan(22);
    expect(lab?.windows?.coldStartsPerMonth).toBeGreaterThanOrEqual(22);
    // And the cost never falls as volume rises from the floor.
    expect(Number(lab?.monthlyCost.amount)).toBeGreaterThan(Number(sparse?.monthlyCost.amount));
  });

  it('treats owned boxes as purchases: the upfront spend is the commitment, and supply is judged on the count', async () => {
    const query = `query($w: WorkloadInput!) { decide(workload: $w) {
      paths { pathSlug unitsNeeded leadTimeDays failedAxes commitment { amount }
        verdicts { axis pass shortfall sentence } } } }`;
    type Paths = {
      decide: {
        paths: {
          pathSlug: string;
          unitsNeeded: number;
          leadTimeDays: number | null;
          failedAxes: string[];
          commitment: { amount: string } | null;
          verdicts: { axis: string; pass: boolean; shortfall: string | null; sentence: string }[];
        }[];
      };
    };
    const sparkOf = async (workload: Record<string, unknown>) => {
      const { body } = await api.run<Paths>(query, { w: workload }, { as: 'VIEWER' });
      expect(body.errors).toBeUndefined();
      return body.data?.decide.paths ?? [];
    };
    // Two Sparks at $4,699: $9,398 up front.
    const lab = await sparkOf(labRetrieval);
    const spark = lab.find((option) => option.pathSlug === 'dgx-spark');
    expect(spark?.unitsNeeded).toBe(2);
    expect(spark?.commitment?.amount).toBe('9398');
    expect(spark?.failedAxes).not.toContain('AVAILABLE');
    // Amortization months are a workload input, never longer than the horizon: the purchase line is
    // 2 x $4,699 / months, power 70.2 kWh x $0.17 = $11.934 whatever the months.
    const amortized = async (amortizationMonths: number | null) => {
      const { body } = await api.run<{
        decide: {
          paths: {
            pathSlug: string;
            monthlyCost: { amount: string };
            commitment: { amount: string } | null;
            costLines: { formula: string; amount: { amount: string } }[];
          }[];
        };
      }>(
        `query($w: WorkloadInput!) { decide(workload: $w) { paths { pathSlug monthlyCost { amount }
          commitment { amount } costLines { formula amount { amount } } } } }`,
        { w: { ...labRetrieval, amortizationMonths } },
        { as: 'VIEWER' },
      );
      expect(body.errors).toBeUndefined();
      return body.data?.decide.paths.find((option) => option.pathSlug === 'dgx-spark');
    };
    const defaulted = await amortized(null);
    expect(defaulted?.costLines.map((line) => [line.formula, line.amount.amount])).toEqual([
      ['2 boxes x $4,699.00 / 36 months', '261.0555555556'],
      ['2 boxes x (90 W x 220.0 active h + 30 W x 510.0 idle h) = 70.20 kWh x 0.17 $/kWh', '11.934'],
    ]);
    const yearly = await amortized(12);
    expect(yearly?.costLines[0]?.formula).toBe('2 boxes x $4,699.00 / 12 months');
    // 2 x $4,699 / 12 = $783.1666666667, + $11.934 power.
    expect(yearly?.monthlyCost.amount).toBe('795.1006666667');
    expect(yearly?.commitment?.amount).toBe('9398');
    // 60 months asked over a 36-month horizon: spread over the 36.
    expect((await amortized(60))?.monthlyCost.amount).toBe('272.9895555556');
    // 2e7 requests a day needs thousands of boxes: far past the 8 the recorded lead time covers.
    const big = (await sparkOf({ ...labRetrieval, requestsPerDay: 2e7 })).find(
      (option) => option.pathSlug === 'dgx-spark',
    );
    expect(big?.unitsNeeded).toBeGreaterThan(1000);
    expect(big?.failedAxes).toContain('AVAILABLE');
    expect(big?.verdicts.find((verdict) => verdict.axis === 'AVAILABLE')?.shortfall).toMatch(
      /needs [\d,]+ boxes; the recorded supply and lead time cover 8/,
    );
    expect(Number(big?.commitment?.amount)).toBe((big?.unitsNeeded ?? 0) * 4699);
    const huge = (await sparkOf({ ...labRetrieval, requestsPerDay: 1e9 })).find(
      (option) => option.pathSlug === 'dgx-spark',
    );
    expect(huge?.failedAxes).toContain('AVAILABLE');
    // The native fine-tune has no lead time on record: unknown, not 0, and it fails a deadline.
    const fineTune = lab.find((option) => option.pathSlug === 'bedrock-fine-tune');
    expect(fineTune?.leadTimeDays).toBeNull();
    const available = fineTune?.verdicts.find((verdict) => verdict.axis === 'AVAILABLE');
    expect(available?.sentence).toMatch(/lead time unknown/);
    expect(available?.shortfall).toMatch(/lead time unknown \(none on record\) vs 14 days needed/);
  });

  it('finds the 26B MoE the faster self-host choice on the same box', async () => {
    const moe = await decide({
      ...customWorkload,
      model: 'moe-26b-a4b-base',
      needsCustomWeights: false,
      minDecodeTokensPerSecond: 30,
      minAcceptedRate: null,
    });
    const dense = await decide({
      ...customWorkload,
      model: 'llama-3.1-8b-instruct-base',
      needsCustomWeights: false,
      minDecodeTokensPerSecond: 30,
      minAcceptedRate: null,
    });
    expect(pathOf(moe, 'dgx-spark').failedAxes).not.toContain('FAST');
    expect(pathOf(dense, 'dgx-spark').failedAxes).toContain('FAST');
  });

  it('answers the break-even between the Spark and per-token 8B near 555M tokens a month', async () => {
    const { body } = await api.run<{ breakEven: { crossings: { tokensPerMonth: number }[] }[] }>(
      `query($w: WorkloadInput!) { breakEven(workload: $w, pathA: "dgx-spark", pathB: "bedrock-on-demand") { crossings { tokensPerMonth } } }`,
      {
        w: {
          ...customWorkload,
          // A token mix one measured box carries at 555M tokens: 100 of 2,100 tokens are output,
          // ~10 output tok/s around the clock against the Spark's measured 20.5.
          meanInputTokens: 2000,
          meanOutputTokens: 100,
          model: 'llama-3.1-8b-instruct-base',
          needsCustomWeights: false,
          mustOwnWeights: false,
          activeHoursPerDay: 24,
          activeDaysPerMonth: 30.4,
          peakToMean: 1,
          minAcceptedRate: null,
        },
      },
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const crossing = body.data?.breakEven[0]?.crossings[0];
    // Spark at 24 h/day: $4,699/36 (the April 2026 price; ECONOMICS.md's worked ~555M is at the
    // launch $3,999, checked in the unit cross-checks) + 90 W all month at $0.17/kWh = $141.70
    // against $0.22 per 1M tokens; one box carries the volume, sized on its measured single-stream rate.
    expect(crossing?.tokensPerMonth ?? 0).toBeGreaterThan(644e6 * 0.99);
    expect(crossing?.tokensPerMonth ?? 0).toBeLessThan(644e6 * 1.01);
  });

  it('saves a decision and fetches it again with the evidence as it was', async () => {
    const saved = await api.run<{ saveDecision: { id: string } }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w, keep: [FAST]) { id } }',
      { w: customWorkload },
      { as: 'VIEWER' },
    );
    expect(saved.body.errors).toBeUndefined();
    const id = saved.body.data?.saveDecision.id;
    const edited = await api.run(
      `mutation { updatePriceComponent(slug: "dgx-spark-purchase", input: { amount: "9999", source: "test: a later edit", asOf: "${new Date().toISOString()}" }) { slug } }`,
    );
    expect(edited.body.errors).toBeUndefined();
    const fetched = await api.run<{
      savedDecision: {
        keep: string[];
        decision: { paths: { pathSlug: string; monthlyCost: { amount: string } }[] };
      };
    }>(
      'query($id: ID!) { savedDecision(id: $id) { keep decision { paths { pathSlug monthlyCost { amount } } } } }',
      { id },
      { as: 'VIEWER' },
    );
    expect(fetched.body.data?.savedDecision.keep).toEqual(['FAST']);
    const sparkCost = fetched.body.data?.savedDecision.decision.paths.find(
      (item) => item.pathSlug === 'dgx-spark',
    )?.monthlyCost.amount;
    expect(Number(sparkCost)).toBeLessThan(400);
  });

  it('lists saved decisions with their answers, reading each stored answer once and a listing’s in one statement', async () => {
    const budgets = ['100', '2000', '50000'];
    const ids: string[] = [];
    for (const monthlyBudget of budgets) {
      const saved = await api.run<{ saveDecision: { id: string } }>(
        'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
        { w: { ...customWorkload, monthlyBudget } },
        { as: 'VIEWER' },
      );
      expect(saved.body.errors).toBeUndefined();
      ids.push(saved.body.data?.saveDecision.id ?? '');
    }
    const list = () =>
      api.run<{
        savedDecisions: { id: string; decision: { recommendation: { pathSlug: string } | null } }[];
      }>('{ savedDecisions(last: 3) { id decision { recommendation { pathSlug } } } }', {}, { as: 'VIEWER' });
    const before = savedAnswerReads();
    const readSince = () => {
      const now = savedAnswerReads();
      return { statements: now.statements - before.statements, answers: now.answers - before.answers };
    };
    const first = await list();
    expect(first.body.errors).toBeUndefined();
    // Newest first, each with its own answer: the last is the first saved (the $100 budget).
    expect(first.body.data?.savedDecisions.map((item) => item.id)).toEqual([...ids].reverse());
    const picks = first.body.data?.savedDecisions.map((item) => item.decision.recommendation?.pathSlug);
    const single = await api.run<{
      savedDecision: { decision: { recommendation: { pathSlug: string } | null } };
    }>(
      'query($id: ID!) { savedDecision(id: $id) { decision { recommendation { pathSlug } } } }',
      { id: ids[0] },
      { as: 'VIEWER' },
    );
    expect(picks?.[2]).toBe(single.body.data?.savedDecision.decision.recommendation?.pathSlug);
    // The listing's three answers in one statement; the single fetch found its answer kept.
    expect(readSince()).toEqual({ statements: 1, answers: 3 });
    // Kept parsed: listing again reads no answer.
    const again = await list();
    expect(again.body.data).toEqual(first.body.data);
    expect(readSince()).toEqual({ statements: 1, answers: 3 });
  });

  it('refuses bad workloads with field-named errors', async () => {
    const negative = await api.run(
      DECIDE,
      { workload: { ...customWorkload, requestsPerDay: -5 } },
      { as: 'VIEWER' },
    );
    expect(negative.body.errors?.[0]?.message).toMatch(
      /workload\.requestsPerDay: requestsPerDay cannot be negative/,
    );
    const zeroOut = await api.run(
      DECIDE,
      { workload: { ...customWorkload, meanOutputTokens: 0 } },
      { as: 'VIEWER' },
    );
    expect(zeroOut.body.errors?.[0]?.message).toMatch(/meanOutputTokens/);
    const unknown = await api.run(
      DECIDE,
      { workload: { ...customWorkload, model: 'gpt-9' } },
      { as: 'VIEWER' },
    );
    expect(unknown.body.errors?.[0]?.message).toMatch(/model "gpt-9" is not in the catalog/);
    const budget = await api.run(
      DECIDE,
      { workload: { ...customWorkload, monthlyBudget: '12,000' } },
      { as: 'VIEWER' },
    );
    expect(budget.body.errors?.[0]?.message).toMatch(/not a decimal/);
  });
});

describe('npx floorplan decide', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'floorplan-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the paths x axes table, the kept sets and the recommendation, or the same as JSON', async () => {
    const run = promisify(execFile);
    // Always the embedded database here: the CLI test does not need the server the suite may use.
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const environment = { ...inherited, FLOORPLAN_DATA_DIR: dataDir };
    const table = await run(
      'node',
      ['bin/floorplan.js', 'decide', '--workload', 'seeds/workloads/latency-slo-30.json'],
      {
        env: environment,
      },
    );
    // Two Sparks at $4,699 (the April 2026 price) over 36 months, plus power.
    expect(table.stdout).toMatch(/dgx-spark\/llama-3\.1-8b-lora\s+\$272\.99\s+FAIL/);
    expect(table.stdout).toMatch(/keep FAST\s+→ dgx-spark\/llama-3\.1-8b-lora/);
    expect(table.stdout).toMatch(/To keep an axis is to accept a shortfall on it/);
    expect(table.stdout).toMatch(
      /keeps FAST \(accepts a shortfall on it\): decode 20\.5 tok\/s vs 30 required\./,
    );
    const json = await run(
      'node',
      [
        'bin/floorplan.js',
        'decide',
        '--workload',
        'seeds/workloads/lab-retrieval.json',
        '--keep',
        'high-confidence',
        '--json',
      ],
      { env: environment },
    );
    const answer = JSON.parse(json.stdout) as {
      recommendation: { pathSlug: string };
      feasible: unknown[];
      paths: { monthlyCost: { amount: string; currency: string } }[];
    };
    // The GraphQL shape itself: every field of the schema's Decision type, and no other name.
    const decisionType = schema.getType('Decision');
    if (!isObjectType(decisionType)) throw new Error('Decision is not an object type');
    expect(Object.keys(answer).sort()).toEqual(Object.keys(decisionType.getFields()).sort());
    expect(answer.recommendation.pathSlug).toBe('dgx-spark');
    expect(Array.isArray(answer.feasible)).toBe(true);
    expect(answer.paths[0]?.monthlyCost).toEqual({
      amount: expect.stringMatching(/^\d+(\.\d+)?$/),
      currency: 'USD',
    });
    await expect(
      run(
        'node',
        [
          'bin/floorplan.js',
          'decide',
          '--workload',
          'seeds/workloads/lab-retrieval.json',
          '--keep',
          'speedy',
        ],
        {
          env: environment,
        },
      ),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/unknown axis "speedy"/) });
  }, 240_000);
});
