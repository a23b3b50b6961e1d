import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, percentile } from '../../../src/domain/metrics/statistics';
import { LevelOverWatch, parseSloList, perRequestObjectives } from '../../../src/domain/slo-search';

/** Overridable so a failure can be replayed: FC_SEED=123 npx vitest run … */
const SEED = Number(process.env.FC_SEED ?? 16);

describe('SLO lists', () => {
  it('reads the CLI form and the Slack form, and names what is wrong', () => {
    expect(parseSloList('ttft_p95_ms=200,tpot_mean_ms=20')).toEqual({
      slos: { ttftP95Ms: 200, tpotMeanMs: 20 },
    });
    expect(parseSloList('ttft_p95<=200 tpot<=20 e2el_p99<=1500.5')).toEqual({
      slos: { ttftP95Ms: 200, tpotMeanMs: 20, e2elP99Ms: 1500.5 },
    });
    expect(parseSloList('itl_p99_ms=40,tpot_p99=30,ttft_p99_ms=900')).toEqual({
      slos: { itlP99Ms: 40, tpotP99Ms: 30, ttftP99Ms: 900 },
    });
    const wrong = parseSloList('ttft=200');
    expect('error' in wrong && wrong.error).toContain('"ttft=200" is not an objective');
    expect('error' in wrong && wrong.error).toContain('ttft_p95_ms');
    expect(parseSloList('tpot_mean_ms=0')).toEqual({
      error: '"tpot_mean_ms=0": the limit must be greater than 0 ms',
    });
    expect(parseSloList(' , ')).toHaveProperty('error');
  });

  it('turns statistic targets into per-request goodput limits, the tightest one per metric', () => {
    expect(perRequestObjectives({ ttftP95Ms: 200, ttftP99Ms: 150, tpotMeanMs: 20, e2elP99Ms: 900 })).toEqual({
      ttftMs: 150,
      tpotMs: 20,
      e2elMs: 900,
      itlP99Ms: undefined,
    });
  });
});

describe('a level is stopped only when it is certain to miss', () => {
  it('never calls a level over whose final statistic meets the limit (percentiles and means)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (samples, limit) => {
          const watch = new LevelOverWatch(
            { ttftP95Ms: limit, ttftP99Ms: limit, tpotMeanMs: limit, e2elP99Ms: limit },
            samples.length,
            1,
          );
          let calledOver = false;
          for (const sample of samples) {
            if (
              watch.add({ ttftMs: sample, tpotMs: sample, interTokenLatenciesMs: [], e2elMs: sample }) !==
              null
            )
              calledOver = true;
          }
          const finalOver =
            percentile(samples, 95) > limit || percentile(samples, 99) > limit || mean(samples) > limit;
          // Sound: a call of "over" is always right in the end.
          if (calledOver) expect(finalOver).toBe(true);
        },
      ),
      { numRuns: 3000, seed: SEED },
    );
  });

  it('stops an overloaded level after a few requests rather than all of them', () => {
    const watch = new LevelOverWatch({ ttftP95Ms: 100 }, 100, 16);
    let stoppedAfter = 0;
    for (let index = 1; index <= 100; index++) {
      if (watch.add({ ttftMs: 500, tpotMs: 10, interTokenLatenciesMs: [], e2elMs: 600 }) !== null) {
        stoppedAfter = index;
        break;
      }
    }
    // p95 over 100 samples is over once 6 are (rank 94.05 lies between the 95th and 96th values).
    expect(stoppedAfter).toBe(6);
  });
});
