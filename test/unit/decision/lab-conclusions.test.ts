import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { type Decision, decide, type OptionResult } from '../../../src/domain/engine/decide';
import { LAB_NOW, labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';

function optionOf(decision: Decision, id: string): OptionResult {
  const found = decision.options.find((candidate) => candidate.optionId === id);
  if (!found) throw new Error(`no option ${id}`);
  return found;
}

function shortfall(option: OptionResult, axis: string): string | null {
  return option.verdicts.find((verdict) => verdict.axis === axis)?.shortfall ?? null;
}

const quick = { analyses: { curves: false, sensitivity: false, breakEvens: false } } as const;

describe("the lab's conclusions for the custom-model retrieval workload", () => {
  const decision = decide(customRetrievalWorkload(), labEvidence(), quick);

  it('fails on-demand tokens on confidence: base model only, accepted too low', () => {
    const onDemand = optionOf(decision, 'bedrock-on-demand/llama-3.1-8b-instruct-base');
    expect(onDemand.servedAs).toBe('BASE_ONLY');
    expect(onDemand.servedVariantSlug).toBe('llama-3.1-8b-instruct-base');
    expect(onDemand.failedAxes).toContain('HIGH_CONFIDENCE');
    expect(shortfall(onDemand, 'HIGH_CONFIDENCE')).toMatch(/base model only/);
    expect(shortfall(onDemand, 'HIGH_CONFIDENCE')).toMatch(/accepted 47% vs 60% required/);
    expect(onDemand.metrics.acceptedRate).toBeCloseTo(14 / 30, 10);
    expect(onDemand.verdicts.find((verdict) => verdict.axis === 'HIGH_CONFIDENCE')?.evidenceIds).toEqual(
      expect.arrayContaining(['lab-base-retrieval-low', 'lab-base-retrieval-bedrock']),
    );
  });

  it('fails native fine-tune on CONTROLLED (weights stay) and AVAILABLE (quota wall)', () => {
    const native = optionOf(decision, 'bedrock-fine-tune/llama-3.1-8b-lora');
    expect(native.failedAxes).toEqual(expect.arrayContaining(['CONTROLLED', 'AVAILABLE']));
    expect(shortfall(native, 'CONTROLLED')).toBe('weights stay with the platform');
    expect(shortfall(native, 'AVAILABLE')).toMatch(/quota wall/);
    // seeds/ record the lab's zero-unit answer as the path's quota wall and its capacity fact: no
    // model units without a quota case.
    expect(shortfall(native, 'AVAILABLE')).toMatch(/needs 1 model units; 0 without a quota case/);
    expect(native.verdicts.find((verdict) => verdict.axis === 'AVAILABLE')?.evidenceIds).toContain(
      'bedrock-fine-tune-no-commit-cap',
    );
  });

  it('keeps token latency on the Spark when the SLO exceeds its measured decode', () => {
    const spark = optionOf(decision, 'dgx-spark/llama-3.1-8b-lora');
    expect(spark.failedAxes).toEqual(['FAST']);
    expect(shortfall(spark, 'FAST')).toBe('decode 20.5 tok/s vs 30 required');
    expect(spark.verdicts[0]?.evidenceIds).toEqual(['seed:spark:llama-3.1-8b:fp8:c1']);
    const keptFast = decision.keptSets.find((set) => set.kept.length === 1 && set.kept[0] === 'FAST');
    expect(keptFast?.unlocked.map((unlocked) => unlocked.optionId)).toEqual(['dgx-spark/llama-3.1-8b-lora']);
    expect(keptFast?.unlocked[0]?.shortfalls).toEqual([
      { axis: 'FAST', shortfall: 'decode 20.5 tok/s vs 30 required' },
    ]);
  });

  it('passes FAST on the Spark when the SLO is at or below its measured decode', () => {
    const relaxed = decide(customRetrievalWorkload({ minDecodeTokensPerSecond: 20 }), labEvidence(), quick);
    expect(optionOf(relaxed, 'dgx-spark/llama-3.1-8b-lora').failedAxes).toEqual([]);
    expect(relaxed.recommendation?.optionId).toBe('dgx-spark/llama-3.1-8b-lora');
    expect(relaxed.keptSets[0]?.kept).toEqual([]);
  });

  it('makes the Spark cheapest above a low utilization line, and CMI cheapest below it', () => {
    const busy = decide(
      customRetrievalWorkload({ minDecodeTokensPerSecond: null, monthlyBudget: null }),
      labEvidence(),
      quick,
    );
    const sparkBusy = optionOf(busy, 'dgx-spark/llama-3.1-8b-lora');
    const cmiBusy = optionOf(busy, 'bedrock-cmi/llama-3.1-8b-lora');
    expect(sparkBusy.cost.total.lessThan(cmiBusy.cost.total)).toBe(true);
    // The line: the Spark's $136.49 less CMI's $3.90 storage, over $9.42 a copy-hour = 14.08
    // copy-hours a month (cross-checks.test.ts works it out).
    expect(cmiBusy.cost.windows?.billedCopyHoursPerMonth ?? 0).toBeGreaterThan(14.08);
    // One request a day: a couple of billed windows a day, well under the line.
    const idle = decide(
      customRetrievalWorkload({ requestsPerDay: 1, minDecodeTokensPerSecond: null, monthlyBudget: null }),
      labEvidence(),
      quick,
    );
    const cmiIdle = optionOf(idle, 'bedrock-cmi/llama-3.1-8b-lora');
    expect(cmiIdle.cost.windows?.billedCopyHoursPerMonth ?? 99).toBeLessThan(14.08);
    expect(cmiIdle.cost.total.lessThan(optionOf(idle, 'dgx-spark/llama-3.1-8b-lora').cost.total)).toBe(true);
  });

  it('picks the 26B MoE as the faster self-host choice: it clears the SLO the dense 8B misses', () => {
    // The fine-tuned MoE is a test variation on the seeded evidence (see withMoeLora).
    const withMoe = decide(customRetrievalWorkload(), withMoeLora(labEvidence()), {
      ...quick,
      alternativeModelSlugs: MOE_ALTERNATIVE,
    });
    const moe = optionOf(withMoe, 'dgx-spark/moe-26b-a4b-lora');
    const dense = optionOf(withMoe, 'dgx-spark/llama-3.1-8b-lora');
    expect(moe.metrics.decodeTokensPerSecond ?? 0).toBeCloseTo(
      1.6 * (dense.metrics.decodeTokensPerSecond ?? 0),
      6,
    );
    expect(moe.failedAxes).toEqual([]);
    expect(withMoe.recommendation?.optionId).toBe('dgx-spark/moe-26b-a4b-lora');
    expect(withMoe.recommendation?.kept).toEqual([]);
    expect(withMoe.keptSets).toHaveLength(1);
    expect(withMoe.pareto).toContain('dgx-spark/moe-26b-a4b-lora');
    expect(withMoe.pareto).not.toContain('dgx-spark/llama-3.1-8b-lora');
  });

  it('lists the feasible paths for a caller-given kept set, cheapest first', () => {
    const keepConfidenceAndCost = decide(customRetrievalWorkload(), labEvidence(), {
      ...quick,
      keep: ['HIGH_CONFIDENCE', 'CHEAP'],
    });
    const ids = keepConfidenceAndCost.feasibleUnderKeep?.map((entry) => entry.optionId);
    // Feasible: the options failing nothing but confidence and cost. CMI ($2,093.56, assumed speed)
    // and the capacity block (730 h x $45.23 = $33,017.90, a U-grade price, assumed speed); the
    // Spark fails FAST, PT and native fine-tune CONTROLLED and AVAILABLE, p5 on demand AVAILABLE.
    // The base-only stand-in is not eligible for a custom-weights workload: listed apart, with why.
    expect(ids).toEqual(['bedrock-cmi/llama-3.1-8b-lora', 'ec2-capacity-block/llama-3.1-8b-lora']);
    expect(keepConfidenceAndCost.notEligible.map((item) => item.optionId)).toEqual([
      'bedrock-on-demand/llama-3.1-8b-instruct-base',
    ]);
    expect(keepConfidenceAndCost.notEligible[0]?.reason).toMatch(/needs its custom weights/);
    expect(keepConfidenceAndCost.recommendation?.optionId).toBe('bedrock-cmi/llama-3.1-8b-lora');
    const costs = keepConfidenceAndCost.feasibleUnderKeep?.map((entry) => entry.monthlyCost.toNumber()) ?? [];
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
  });

  it('fails AVAILABLE on lead time with the shortfall in days', () => {
    const urgent = decide(customRetrievalWorkload({ neededByDays: 5 }), labEvidence(), quick);
    expect(shortfall(optionOf(urgent, 'dgx-spark/llama-3.1-8b-lora'), 'AVAILABLE')).toBe(
      'lead time ~7 days vs 5 needed',
    );
    // No lead time on record is unknown, not zero days.
    expect(shortfall(optionOf(urgent, 'ec2-p5-on-demand/llama-3.1-8b-lora'), 'AVAILABLE')).toMatch(
      /^lead time unknown \(none on record\) vs 5 days needed/,
    );
    // A capacity block is bought in ~1 day (seeds/), within the 5.
    expect(shortfall(optionOf(urgent, 'ec2-capacity-block/llama-3.1-8b-lora'), 'AVAILABLE')).toBeNull();
  });

  it('counts cold starts against a TTFT SLO on the scale-to-zero path', () => {
    const sparse = decide(
      customRetrievalWorkload({ requestsPerDay: 10, maxTtftMsP95: 2000, minDecodeTokensPerSecond: null }),
      labEvidence(),
      quick,
    );
    const cmi = optionOf(sparse, 'bedrock-cmi/llama-3.1-8b-lora');
    expect(cmi.failedAxes).toContain('FAST');
    expect(shortfall(cmi, 'FAST')).toMatch(
      // A cold start takes 60 s on CMI (seeds/).
      /TTFT p95 ~60,000 ms \(cold starts on \d+% of requests\) vs 2,000 ms required/,
    );
    const busy = decide(
      customRetrievalWorkload({ requestsPerDay: 5000, maxTtftMsP95: 2000, minDecodeTokensPerSecond: null }),
      labEvidence(),
      quick,
    );
    expect(optionOf(busy, 'bedrock-cmi/llama-3.1-8b-lora').failedAxes).not.toContain('FAST');
  });

  it('warns when the answer rests on U-grade, stale or assumed evidence, deterministically at `now`', () => {
    // At 2026-07-01 the Spark's $4,699 (as of 2026-04-01) is 91 days old: fresh. By LAB_NOW
    // (2026-12-01) it is 244 days old, over the 180 that make a price stale.
    const fresh = decide(
      customRetrievalWorkload({ minDecodeTokensPerSecond: 20 }),
      labEvidence('2026-07-01'),
      quick,
    );
    const onRecommendation = fresh.warnings.filter((warning) => warning.affectsRecommendation);
    expect(onRecommendation.map((warning) => warning.code)).toEqual(
      expect.arrayContaining(['UNCONFIRMED_PRICE', 'ASSUMED_PRICE']),
    );
    expect(onRecommendation.map((warning) => warning.code)).not.toContain('STALE_PRICE');
    expect(
      fresh.warnings.some(
        (warning) => warning.code === 'STALE_PRICE' && warning.optionId === 'bedrock-pt/llama-3.1-8b-lora',
      ),
    ).toBe(true);
    expect(
      fresh.warnings.some(
        (warning) =>
          warning.code === 'ASSUMED_THROUGHPUT' && warning.optionId === 'bedrock-cmi/llama-3.1-8b-lora',
      ),
    ).toBe(true);
    // Five months later the Spark's purchase price is stale too: always warned about, and with the
    // strict policy confidence fails on it.
    const later = decide(customRetrievalWorkload({ minDecodeTokensPerSecond: 20 }), labEvidence(LAB_NOW), {
      ...quick,
      stalePricesFailConfidence: true,
    });
    const lenient = decide(
      customRetrievalWorkload({ minDecodeTokensPerSecond: 20 }),
      labEvidence(LAB_NOW),
      quick,
    );
    expect(optionOf(lenient, 'dgx-spark/llama-3.1-8b-lora').failedAxes).not.toContain('HIGH_CONFIDENCE');
    expect(
      later.warnings.some(
        (warning) => warning.code === 'STALE_PRICE' && warning.evidenceIds.includes('dgx-spark-purchase'),
      ),
    ).toBe(true);
    expect(optionOf(later, 'dgx-spark/llama-3.1-8b-lora').failedAxes).toContain('HIGH_CONFIDENCE');
  });

  it('reports sensitivity: the SLO that flips the answer and a price change that does', () => {
    // The fine-tuned MoE is a test variation on the seeded evidence (see withMoeLora).
    const evidence = withMoeLora(labEvidence());
    const withMoe = decide(customRetrievalWorkload(), evidence, {
      alternativeModelSlugs: MOE_ALTERNATIVE,
      analyses: { curves: false, breakEvens: false },
    });
    const slo = withMoe.sensitivity.find((finding) => finding.input === 'DECODE_SLO');
    // Just above the MoE's measured 32.8 tok/s the MoE fails FAST and the answer changes.
    expect(slo?.flipsAtValue ?? 0).toBeGreaterThan(32.8);
    expect(slo?.flipsAtValue ?? 0).toBeLessThan(32.81);
    expect(slo?.newRecommendation).not.toBe('dgx-spark/moe-26b-a4b-lora');
    // With a budget just above the Spark ($136.49), a 25% purchase-price rise ($4,699 x 1.25 / 36
    // = $163.16 amortized) pushes it out of budget, yet it stays the answer: every other eligible
    // path keeps more. The base-model stand-in (25.3M tokens x $0.22/1M = $5.57/month, fails only
    // HIGH_CONFIDENCE) is not eligible, so it is never the flip.
    const tight = decide(customRetrievalWorkload({ monthlyBudget: new Decimal('140') }), evidence, {
      alternativeModelSlugs: MOE_ALTERNATIVE,
      analyses: { curves: false, breakEvens: false },
    });
    expect(tight.recommendation?.optionId).toBe('dgx-spark/moe-26b-a4b-lora');
    const purchase = tight.sensitivity.find((finding) => finding.priceComponentId === 'dgx-spark-purchase');
    expect(purchase?.flipsAt).toBeNull();
    for (const finding of tight.sensitivity)
      expect(finding.newRecommendation).not.toBe('bedrock-on-demand/llama-3.1-8b-instruct-base');
  });
});
