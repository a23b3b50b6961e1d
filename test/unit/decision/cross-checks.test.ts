import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { decide } from '../../../src/domain/engine/decide';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import type { EvidenceSnapshot, PriceComponent } from '../../../src/domain/engine/evidence';
import { formatMoney } from '../../../src/domain/engine/money';
import { buildServingOptions, type ServingOption } from '../../../src/domain/engine/serving-options';
import { trafficShapeOf } from '../../../src/domain/engine/traffic';
import type { Workload } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { baseModelWorkload, customRetrievalWorkload } from '../../fixtures/lab/lab-workloads';

function within(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
}

function optionsFor(
  workload: Workload,
  evidence: EvidenceSnapshot = labEvidence(),
): Map<string, ServingOption> {
  const catalog = buildCatalog(evidence);
  const { options } = buildServingOptions(
    catalog,
    workload,
    resolveOptions(workload, {}).candidateModelSlugs,
  );
  return new Map(options.map((option) => [option.id, option]));
}

function option(options: Map<string, ServingOption>, id: string): ServingOption {
  const found = options.get(id);
  if (!found) throw new Error(`no option ${id}; have ${[...options.keys()].join(', ')}`);
  return found;
}

function costOf(found: ServingOption, workload: Workload) {
  return found.costModel.costAt(trafficShapeOf(workload).requestsPerMonth);
}

/**
 * ECONOMICS.md's worked cross-checks, on the evidence seeds/ hold today. ECONOMICS.md works them at
 * the Spark's launch $3,999, a flat 100 W and $0.15/kWh ($3,999 / 36 + 100 W x 730 h x $0.15 =
 * ~$122/month); seeds/ hold the re-checked $4,699 (in effect from 2026-04-01), the box's 90 W active
 * / 30 W idle and $0.17/kWh, so the same formulas give the figures below, each worked out here.
 *
 * The Spark on the lab workload (10 h x 22 days = 220 active hours of 730):
 *   $4,699 / 36 = $130.5278; power (90 W x 220 h + 30 W x 510 h) / 1000 = 35.1 kWh x $0.17 = $5.967;
 *   $136.4948 a month.
 */
const SPARK_AMORTIZED = new Decimal(4699).dividedBy(36);
const SPARK_LAB_POWER = new Decimal(90 * 220 + 30 * 510).dividedBy(1000).times('0.17');

describe('ECONOMICS.md cross-checks, on the seeded evidence (within 1%)', () => {
  it('prices the Spark at ~$136/month: $4,699 / 36 + (90 W x 220 h + 30 W x 510 h) x $0.17/kWh', () => {
    const workload = customRetrievalWorkload();
    const cost = costOf(option(optionsFor(workload), 'dgx-spark/llama-3.1-8b-lora'), workload);
    within(cost.total.toNumber(), 136.49, 0.01);
    expect(cost.total.toFixed(6)).toBe(SPARK_AMORTIZED.plus(SPARK_LAB_POWER).toFixed(6));
    expect(cost.lines.map((line) => line.label)).toEqual(['Box purchase, amortized', 'Power']);
    expect(cost.lines[0]?.priceComponentIds).toEqual(['dgx-spark-purchase']);
    expect(cost.lines[1]?.priceComponentIds).toEqual(['dgx-spark-electricity']);
  });

  it('breaks the Spark even with an 8B CMI copy at ~14.1 active copy-hours a month', () => {
    // CMI: 2 CMUs a copy x $0.0785 per CMU-minute x 60 = $9.42 a copy-hour, plus 2 x $1.95 = $3.90
    // storage a month. ($136.4948 - $3.90) / $9.42 = 14.076 copy-hours (ECONOMICS.md: ($122 - $3.90)
    // / $9.42 = ~12.5 at the launch price and flat power).

    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null });
    const decision = decide(workload, labEvidence(), { analyses: { curves: false, sensitivity: false } });
    const pair = decision.breakEvens.find(
      (breakEven) =>
        [breakEven.optionA, breakEven.optionB].includes('dgx-spark/llama-3.1-8b-lora') &&
        [breakEven.optionA, breakEven.optionB].includes('bedrock-cmi/llama-3.1-8b-lora'),
    );
    expect(pair?.activeCopyHours).not.toBeNull();
    const copyHours = SPARK_AMORTIZED.plus(SPARK_LAB_POWER).minus('3.90').dividedBy('9.42').toNumber();
    within(copyHours, 14.08, 0.001);
    within(pair?.activeCopyHours ?? 0, copyHours, 0.01);
    // …and the volume crossing along this workload's shape sits where CMI bills that many hours.
    const crossing = pair?.crossings.find((candidate) => candidate.kind === 'EQUAL');
    expect(crossing).toBeDefined();
    expect(crossing?.costA.minus(crossing.costB).abs().toNumber()).toBeLessThan(0.01);
  });

  it('breaks the Spark even with on-demand 8B tokens at ~644M tokens a month', () => {
    // The cross-check is one box against $0.22 per 1M tokens in or out. Around the clock the box
    // draws 90 W all 730 h: 65.7 kWh x $0.17 = $11.169, so one box is $130.5278 + $11.169 =
    // $141.6968 a month, and $141.6968 / $0.22 per 1M = 644.08M tokens (ECONOMICS.md: $122 / $0.22 =
    // ~555M). Boxes are sized on measurements (20.5 output tok/s at one stream), so the token mix is
    // one a single measured box carries at that volume: 644M tokens at 100 of 2,100 output = ~11.7
    // output tok/s around the clock.
    const workload = baseModelWorkload({ meanInputTokens: 2000, meanOutputTokens: 100 });
    const decision = decide(workload, labEvidence(), { analyses: { curves: false, sensitivity: false } });
    const pair = decision.breakEvens.find(
      // Pairs are named in option-id order.
      (breakEven) =>
        breakEven.optionA === 'bedrock-on-demand/llama-3.1-8b-instruct-base' &&
        breakEven.optionB === 'dgx-spark/llama-3.1-8b-instruct-base',
    );
    const crossing = pair?.crossings[0];
    expect(crossing?.kind).toBe('EQUAL');
    expect(crossing?.method).toBe('EXACT_LINEAR');
    const tokens = SPARK_AMORTIZED.plus(new Decimal(90 * 730).dividedBy(1000).times('0.17'))
      .dividedBy('0.22')
      .times(1e6)
      .toNumber();
    within(tokens, 644e6, 0.001);
    within(crossing?.tokensPerMonth ?? 0, tokens, 0.01);
    expect(crossing?.cheaperBelow).toBe('bedrock-on-demand/llama-3.1-8b-instruct-base');
    expect(crossing?.cheaperAbove).toBe('dgx-spark/llama-3.1-8b-instruct-base');
  });

  it('charges a custom 8B on PT no-commit ~$17,155/month whatever the traffic', () => {
    for (const requestsPerDay of [0, 1, 100, 5000]) {
      const workload = customRetrievalWorkload({ requestsPerDay, peakToMean: 1 });
      const cost = costOf(option(optionsFor(workload), 'bedrock-pt/llama-3.1-8b-lora'), workload);
      within(cost.total.toNumber(), 17_155, 0.01);
      expect(cost.total.equals(new Decimal('23.50').times(730))).toBe(true);
    }
  });

  it('charges one 8B CMI copy kept warm all month ~$6,877, the same tokens packed into a warm hour a day ~$290', () => {
    const requestsPerDay = 1440; // one a minute: never 4 idle minutes
    const warmAllMonth = baseModelWorkload({
      model: 'llama-3.1-8b-lora',
      needsCustomWeights: true,
      requestsPerDay,
    });
    const warm = costOf(option(optionsFor(warmAllMonth), 'bedrock-cmi/llama-3.1-8b-lora'), warmAllMonth);
    expect(warm.units).toBe(1);
    within(warm.total.toNumber(), 6877, 0.01);
    // "Packed into one hour a day" = one warm copy-hour a day: requests over the first 55 minutes,
    // the 5-minute idle tail closing the hour (12 clock windows). The same monthly volume.
    const packed = customRetrievalWorkload({
      requestsPerDay,
      activeHoursPerDay: 55 / 60,
      activeDaysPerMonth: 730 / 24,
      peakToMean: 1,
      minDecodeTokensPerSecond: null,
    });
    expect(trafficShapeOf(packed).requestsPerMonth).toBeCloseTo(
      trafficShapeOf(warmAllMonth).requestsPerMonth,
      6,
    );
    const packedCost = costOf(option(optionsFor(packed), 'bedrock-cmi/llama-3.1-8b-lora'), packed);
    expect(packedCost.units).toBe(1);
    within(packedCost.total.toNumber(), 290, 0.01);
    within(packedCost.windows?.billedCopyHoursPerMonth ?? 0, 730 / 24, 0.001);
    expect(packedCost.lines.map((line) => line.priceComponentIds)).toEqual([
      ['bedrock-cmi-cmu-storage'],
      ['bedrock-cmi-cmu-minute'],
    ]);
    // Both readings bound the stated one.
    expect(packedCost.range?.high.greaterThanOrEqualTo(packedCost.total)).toBe(true);
    expect(packedCost.range?.low.lessThanOrEqualTo(packedCost.total)).toBe(true);
  });
});

describe('cost models', () => {
  it('splits owned-box power into active and idle hours', () => {
    const evidence = labEvidence();
    const box = evidence.boxes.find((candidate) => candidate.slug === 'dgx-spark');
    // The seeded Spark draws 90 W serving and 30 W idle: two different draws, so a split shows.
    expect([box?.powerActiveW, box?.powerIdleW]).toEqual([90, 30]);
    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null });
    const cost = costOf(option(optionsFor(workload, evidence), 'dgx-spark/llama-3.1-8b-lora'), workload);
    const activeHours = 10 * 22;
    const kwh = (90 * activeHours + 30 * (730 - activeHours)) / 1000;
    expect(cost.lines[1]?.amount.toFixed(10)).toBe(new Decimal(kwh).times('0.17').toFixed(10));
  });

  it('charges a box over the horizon when the horizon is shorter than its amortization', () => {
    const workload = customRetrievalWorkload({ horizonMonths: 12, minDecodeTokensPerSecond: null });
    const cost = costOf(option(optionsFor(workload), 'dgx-spark/llama-3.1-8b-lora'), workload);
    expect(cost.lines[0]?.amount.toFixed(6)).toBe(new Decimal(4699).dividedBy(12).toFixed(6));
  });

  it('takes the cheapest PT term that fits the horizon and reports the commitment it locks', () => {
    const evidence = labEvidence();
    const pt = evidence.paths.find((path) => path.slug === 'bedrock-pt');
    const base = pt?.priceComponents[0];
    if (!pt || !base) throw new Error('fixture has PT');
    const sixMonths: PriceComponent = {
      ...base,
      id: 'price-pt-6m',
      amount: new Decimal('13.00'),
      commitmentMonths: 6,
    };
    pt.priceComponents.push(sixMonths);
    const long = customRetrievalWorkload({ horizonMonths: 12 });
    const longCost = costOf(option(optionsFor(long, evidence), 'bedrock-pt/llama-3.1-8b-lora'), long);
    expect(longCost.lines[0]?.priceComponentIds).toEqual(['price-pt-6m']);
    expect(longCost.commitment?.equals(new Decimal(13).times(730).times(6))).toBe(true);
    const short = customRetrievalWorkload({ horizonMonths: 3 });
    const shortCost = costOf(option(optionsFor(short, evidence), 'bedrock-pt/llama-3.1-8b-lora'), short);
    expect(shortCost.lines[0]?.priceComponentIds).toEqual(['bedrock-pt-mu-hour-no-commit']);
    expect(shortCost.commitment).toBeNull();
  });

  it('holds a capacity block all month and reports its one-day minimum paid up front', () => {
    // seeds/: $45.23 an instance-hour (in effect from 2026-01-01), a 24-hour minimum.
    const workload = customRetrievalWorkload();
    const cost = costOf(option(optionsFor(workload), 'ec2-capacity-block/llama-3.1-8b-lora'), workload);
    expect(cost.total.equals(new Decimal('45.23').times(730))).toBe(true);
    expect(cost.commitment?.equals(new Decimal('45.23').times(24))).toBe(true);
  });

  it('sizes boxes from measured throughput: another box when the peak exceeds one box', () => {
    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null, requestsPerDay: 1000 });
    const spark = option(optionsFor(workload), 'dgx-spark/llama-3.1-8b-lora');
    const perBoxTokensPerSecond = spark.sizing?.outputTokensPerSecondPerUnit ?? 0;
    const peakPerRequest =
      trafficShapeOf(workload).peakOutputTokensPerSecond / trafficShapeOf(workload).requestsPerMonth;
    const oneBoxLimit = perBoxTokensPerSecond / peakPerRequest;
    expect(spark.costModel.unitsAt(oneBoxLimit * 0.999)).toBe(1);
    expect(spark.costModel.unitsAt(oneBoxLimit * 1.001)).toBe(2);
    expect(
      spark.costModel
        .totalAt(oneBoxLimit * 1.001)
        .equals(spark.costModel.totalAt(oneBoxLimit * 0.999).times(2)),
    ).toBe(true);
  });

  it('rounds half-even to cents only when formatting', () => {
    expect(formatMoney(new Decimal('0.125'))).toBe('$0.12');
    expect(formatMoney(new Decimal('0.135'))).toBe('$0.14');
    expect(formatMoney(new Decimal('17155'))).toBe('$17,155.00');
    expect(formatMoney(new Decimal('-1234.565'))).toBe('-$1,234.56');
  });
});
