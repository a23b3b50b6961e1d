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
import { labEvidence } from '../../fixtures/lab/lab';
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

describe('ECONOMICS.md cross-checks (within 1%)', () => {
  it('prices the Spark at ~$122/month: $3,999 / 36 + 100 W x 730 h x $0.15/kWh', () => {
    const workload = customRetrievalWorkload();
    const cost = costOf(option(optionsFor(workload), 'spark-vllm/llama-3.1-8b-lora'), workload);
    within(cost.total.toNumber(), 122, 0.01);
    expect(cost.total.toFixed(6)).toBe(new Decimal(3999).dividedBy(36).plus('10.95').toFixed(6));
    expect(cost.lines.map((line) => line.label)).toEqual(['Box purchase, amortized', 'Power']);
    expect(cost.lines[1]?.priceComponentIds).toEqual(['price-electricity']);
  });

  it('breaks the Spark even with an 8B CMI copy at ~12.5 active copy-hours a month', () => {
    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null });
    const decision = decide(workload, labEvidence(), { analyses: { curves: false, sensitivity: false } });
    const pair = decision.breakEvens.find(
      (breakEven) =>
        [breakEven.optionA, breakEven.optionB].includes('spark-vllm/llama-3.1-8b-lora') &&
        [breakEven.optionA, breakEven.optionB].includes('bedrock-cmi/llama-3.1-8b-lora'),
    );
    expect(pair?.activeCopyHours).not.toBeNull();
    within(pair?.activeCopyHours ?? 0, 12.5, 0.01);
    // …and the volume crossing along this workload's shape sits where CMI bills that many hours.
    const crossing = pair?.crossings.find((candidate) => candidate.kind === 'EQUAL');
    expect(crossing).toBeDefined();
    expect(crossing?.costA.minus(crossing.costB).abs().toNumber()).toBeLessThan(0.01);
  });

  it('breaks the Spark even with on-demand 8B tokens at ~555M tokens a month', () => {
    // The cross-check is one box ($122) against $0.22 per 1M tokens in or out. Boxes are sized on
    // measurements (20.5 output tok/s at one stream), so the token mix is one a single measured box
    // carries at that volume: 555M tokens at 100 of 2,100 output = ~10 output tok/s around the clock.
    const workload = baseModelWorkload({ meanInputTokens: 2000, meanOutputTokens: 100 });
    const decision = decide(workload, labEvidence(), { analyses: { curves: false, sensitivity: false } });
    const pair = decision.breakEvens.find(
      (breakEven) =>
        breakEven.optionA === 'spark-vllm/llama-3.1-8b' &&
        breakEven.optionB === 'bedrock-on-demand/llama-3.1-8b',
    );
    const crossing = pair?.crossings[0];
    expect(crossing?.kind).toBe('EQUAL');
    expect(crossing?.method).toBe('EXACT_LINEAR');
    within(crossing?.tokensPerMonth ?? 0, 555e6, 0.01);
    expect(crossing?.cheaperBelow).toBe('bedrock-on-demand/llama-3.1-8b');
    expect(crossing?.cheaperAbove).toBe('spark-vllm/llama-3.1-8b');
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
      ['price-cmi-storage'],
      ['price-cmi-cmu-minute'],
    ]);
    // Both readings bound the stated one.
    expect(packedCost.range?.high.greaterThanOrEqualTo(packedCost.total)).toBe(true);
    expect(packedCost.range?.low.lessThanOrEqualTo(packedCost.total)).toBe(true);
  });
});

describe('cost models', () => {
  it('splits owned-box power into active and idle hours', () => {
    const evidence = labEvidence();
    const box = evidence.boxes[0];
    if (!box) throw new Error('fixture has a box');
    box.powerActiveW = 90;
    box.powerIdleW = 30;
    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null });
    const cost = costOf(option(optionsFor(workload, evidence), 'spark-vllm/llama-3.1-8b-lora'), workload);
    const activeHours = 10 * 22;
    const kwh = (90 * activeHours + 30 * (730 - activeHours)) / 1000;
    expect(cost.lines[1]?.amount.toFixed(10)).toBe(new Decimal(kwh).times('0.15').toFixed(10));
  });

  it('charges a box over the horizon when the horizon is shorter than its amortization', () => {
    const workload = customRetrievalWorkload({ horizonMonths: 12, minDecodeTokensPerSecond: null });
    const cost = costOf(option(optionsFor(workload), 'spark-vllm/llama-3.1-8b-lora'), workload);
    expect(cost.lines[0]?.amount.toFixed(6)).toBe(new Decimal(3999).dividedBy(12).toFixed(6));
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
    expect(shortCost.lines[0]?.priceComponentIds).toEqual(['price-pt-mu-hour-no-commit']);
    expect(shortCost.commitment).toBeNull();
  });

  it('holds a capacity block all month and reports its one-day minimum paid up front', () => {
    const workload = customRetrievalWorkload();
    const cost = costOf(option(optionsFor(workload), 'ec2-capacity-block-p5/llama-3.1-8b-lora'), workload);
    expect(cost.total.equals(new Decimal('39.33').times(730))).toBe(true);
    expect(cost.commitment?.equals(new Decimal('39.33').times(24))).toBe(true);
  });

  it('sizes boxes from measured throughput: another box when the peak exceeds one box', () => {
    const workload = customRetrievalWorkload({ minDecodeTokensPerSecond: null, requestsPerDay: 1000 });
    const spark = option(optionsFor(workload), 'spark-vllm/llama-3.1-8b-lora');
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
