import { describe, expect, it } from 'vitest';
import { decide, type OptionResult } from '../../../src/domain/engine/decide';
import type { EvidenceSnapshot, SloSweepEvidence, SweptLevel } from '../../../src/domain/engine/evidence';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload } from '../../fixtures/lab/lab-workloads';

/**
 * Owned boxes are sized from SLO sweeps: the highest level measured in full that meets the
 * workload's SLO, citing the sweep; without a sweep the answer says so and what to run; a workload
 * stricter than every swept level says what to run next.
 */

const quick = { analyses: { curves: false, sensitivity: false, breakEvens: false } } as const;
const SPARK = 'dgx-spark/llama-3.1-8b-lora';

/** A level whose per-stream decode falls as 60 / √c tok/s (so 4 streams decode 30 tok/s each). */
function level(concurrency: number, overrides: Partial<SweptLevel> = {}): SweptLevel {
  const decode = 60 / Math.sqrt(concurrency);
  return {
    resultId: `result-c${concurrency}`,
    concurrency,
    meetsSlo: decode >= 30,
    stoppedEarly: false,
    failed: 0,
    decodeTokensPerSecondPerStream: decode,
    ttftP95Ms: 40 + concurrency,
    outputTokensPerSecond: decode * concurrency,
    goodputOutputTokensPerSecond: decode * concurrency * 0.97,
    ...overrides,
  };
}

function withSweep(sweep: Partial<SloSweepEvidence> & { levels: SweptLevel[] }): EvidenceSnapshot {
  return {
    ...labEvidence(),
    sweeps: [
      {
        id: 'sweep-spark-1',
        boxSlug: 'dgx-spark',
        variantSlug: 'llama-3.1-8b-lora',
        serverConfiguration: 'fp8',
        slos: { tpotMeanMs: 1000 / 30 },
        maxConcurrencyAtSlo: 4,
        measuredAt: '2025-11-30T10:00:00.000Z',
        ...sweep,
      },
    ],
  };
}

function option(decision: ReturnType<typeof decide>, id: string): OptionResult {
  const found = decision.options.find((candidate) => candidate.optionId === id);
  if (!found) throw new Error(`no option ${id}`);
  return found;
}

const verdict = (result: OptionResult, axis: string) => result.verdicts.find((entry) => entry.axis === axis);

describe('sizing owned boxes from SLO sweeps', () => {
  it('without a sweep: sized from single results or estimates, and the answer says what to run', () => {
    const decision = decide(customRetrievalWorkload(), labEvidence(), quick);
    const warning = decision.warnings.find(
      (entry) => entry.code === 'NO_SLO_SWEEP' && entry.optionId === SPARK,
    );
    expect(warning?.message).toContain('sized without an SLO sweep of dgx-spark');
    expect(warning?.message).toContain('npx floorplan bench --slo-search --slo tpot_mean_ms=33.3');
  });

  it('with a sweep: sized at the highest full level meeting the SLO, citing the sweep, measured', () => {
    // Levels 1, 2, 4 meet 30 tok/s (60, 42.4, 30); 8 misses; 5 was stopped early and is not used.
    const evidence = withSweep({
      levels: [level(1), level(2), level(4), level(8), level(6, { stoppedEarly: true }), level(5)],
    });
    const decision = decide(customRetrievalWorkload(), evidence, quick);
    const spark = option(decision, SPARK);
    const fast = verdict(spark, 'FAST');
    expect(fast?.pass).toBe(true);
    expect(fast?.evidenceIds).toEqual(['sweep-spark-1', 'result-c4']);
    expect(fast?.sentence).toContain('at concurrency 4');
    expect(fast?.sentence).toContain('SLO sweep sweep-spark-1, configuration fp8');
    expect(verdict(spark, 'HIGH_CONFIDENCE')?.shortfall ?? '').not.toMatch(/assumed/);
    expect(
      decision.warnings.filter((entry) => entry.optionId === SPARK).map((entry) => entry.code),
    ).not.toEqual(expect.arrayContaining(['NO_SLO_SWEEP']));
    expect(
      decision.warnings.some((entry) => entry.optionId === SPARK && entry.code === 'ASSUMED_THROUGHPUT'),
    ).toBe(false);
    // Capacity is what the box delivered at that level: 4 streams x 30 tok/s.
    expect(spark.cost.units).toBe(1);
  });

  it('a workload stricter than every swept level says what to run (or that one stream already misses)', () => {
    const strict = customRetrievalWorkload({ minDecodeTokensPerSecond: 90 });
    const fromOne = decide(strict, withSweep({ levels: [level(1), level(2), level(4)] }), quick);
    const spark = option(fromOne, SPARK);
    expect(verdict(spark, 'FAST')?.pass).toBe(false);
    expect(verdict(spark, 'FAST')?.shortfall).toMatch(/decode 60 tok\/s vs 90 required/);
    const missed = fromOne.warnings.find((entry) => entry.code === 'STRICTER_THAN_SWEPT');
    expect(missed?.evidenceIds).toEqual(['sweep-spark-1']);
    expect(missed?.message).toContain('even one stream');

    const fromFour = decide(
      customRetrievalWorkload({ minDecodeTokensPerSecond: 40 }),
      withSweep({ levels: [level(4), level(8)] }),
      quick,
    );
    const later = fromFour.warnings.find((entry) => entry.code === 'STRICTER_THAN_SWEPT');
    expect(later?.message).toContain('the sweeps began at concurrency 4');
    expect(later?.message).toContain('--slo-search --start-concurrency 1 --slo tpot_mean_ms=25');
  });

  it('the newest sweep of a box, variant and configuration supersedes the older one', () => {
    const evidence = withSweep({ levels: [level(1), level(2), level(4)] });
    const older = {
      ...(evidence.sweeps?.[0] as SloSweepEvidence),
      id: 'sweep-old',
      measuredAt: '2025-10-01T00:00:00.000Z',
      levels: [level(1, { resultId: 'old-c1' })],
    };
    const decision = decide(
      customRetrievalWorkload(),
      { ...evidence, sweeps: [older, ...(evidence.sweeps ?? [])] },
      quick,
    );
    expect(verdict(option(decision, SPARK), 'FAST')?.evidenceIds[0]).toBe('sweep-spark-1');
  });
});
