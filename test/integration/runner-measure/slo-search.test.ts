import { afterEach, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../runner/load';
import {
  maxLevels,
  nextLevel,
  type SearchStep,
  sweepLevelOf,
  sweepOutcome,
} from '../../../src/domain/slo-search';
import {
  expectedTpotMs,
  LOADED_CONFIGURATIONS,
  largestConcurrencyForTpot,
  scheduledGoodput,
  startLoadedServer,
} from '../../fakes/loaded-server';
import type { FakeOpenAiServer } from '../../fakes/openai-server';
import { runSpec } from './helpers';

let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const baseline = LOADED_CONFIGURATIONS.baseline as NonNullable<(typeof LOADED_CONFIGURATIONS)['baseline']>;

describe('SLO search against a loaded server with a known crossing', () => {
  it('finds the largest concurrency at the SLO exactly, in a bounded number of levels, with goodput matching the schedule', async () => {
    // TPOT = 3c ms on this fake: c = 5 gives 15 ms, c = 6 gives 18 ms; the limit sits between, far
    // enough from both that a busy machine's timer noise does not move a request across it.
    const limitMs = 16.5;
    const crossing = largestConcurrencyForTpot(baseline, limitMs);
    expect(crossing).toBe(5);
    expect(expectedTpotMs(baseline, crossing)).toBeLessThan(limitMs);
    expect(expectedTpotMs(baseline, crossing + 1)).toBeGreaterThan(limitMs);

    fake = await startLoadedServer(baseline);
    const server = fake;
    const levelStarts: { measure: number; next: number }[] = [];
    const spec = runSpec({
      profile: { kind: 'slo-search', slos: { tpotMeanMs: limitMs }, maxConcurrency: 64 },
      // Three rounds of the answer level, each ~0.6 s: long enough that a busy machine's few
      // milliseconds of lateness at the end stay well inside 2% of the level's wall time.
      numPrompts: 15,
      outputTokens: 40,
      warmupRequests: 1,
    });
    const result = await runBenchmark(spec, {
      endpointUrl: server.url,
      onProgress: (progress) => {
        if (progress.completed + progress.failed !== 0) return;
        if (progress.phase === 'WARMUP') {
          const previous = levelStarts[progress.levelIndex - 1];
          if (previous) previous.next = server.requests().length;
        } else {
          levelStarts[progress.levelIndex] = {
            measure: server.requests().length,
            next: Number.POSITIVE_INFINITY,
          };
        }
      },
    });
    if (spec.profile.kind !== 'slo-search') throw new Error('unreachable');
    const settings = spec.profile;
    const levels = result.levels.map((level) =>
      sweepLevelOf(level.summary, settings.slos, level.searchPhase ?? 'CLIMB'),
    );
    const outcome = sweepOutcome(levels, settings.slos, settings);

    expect(outcome.maxConcurrencyAtSlo).toBe(5);
    expect(outcome.firstMissConcurrency).toBe(6);
    expect(outcome.endReason).toBe('BRACKETED');
    // 1, 2, 4, 8 climbing, then 6 and 5 bisecting.
    expect(levels.map((level) => level.concurrency)).toEqual([1, 2, 4, 8, 6, 5]);
    expect(levels.length).toBeLessThanOrEqual(maxLevels(settings));
    // The overloaded level stopped as soon as it was certain to miss.
    const eight = levels.find((level) => level.concurrency === 8);
    expect(eight?.stoppedEarly).toBe(true);
    expect(eight?.completed).toBeLessThan(16);

    // Goodput at the answer, against what the fake scheduled for the same requests.
    const atIndex = levels.findIndex((level) => level.concurrency === 5);
    const bounds = levelStarts[atIndex];
    if (!bounds) throw new Error('no request bounds recorded for the answer level');
    const expected = scheduledGoodput(server, { from: bounds.measure, to: bounds.next }, { tpotMs: limitMs });
    expect(expected.requests).toBe(15);
    expect(outcome.goodputRequestsPerSecond).not.toBeNull();
    const relative = (measured: number | null, truth: number) => Math.abs((measured ?? 0) - truth) / truth;
    expect(relative(outcome.goodputRequestsPerSecond, expected.requestsPerSecond)).toBeLessThan(0.02);
    expect(relative(outcome.goodputOutputTokensPerSecond, expected.outputTokensPerSecond)).toBeLessThan(0.02);
  }, 60_000);

  it('plans the climb, the bisection and the ends of a search without measuring', () => {
    const settings = { startConcurrency: 1, growthFactor: 2, maxConcurrency: 32, precision: 1 };
    const run = (crossing: number): SearchStep[] => {
      const steps: SearchStep[] = [];
      for (;;) {
        const next = nextLevel(steps, settings);
        if (next.done) return steps;
        steps.push({ concurrency: next.concurrency, meetsSlo: next.concurrency <= crossing });
      }
    };
    for (let crossing = 1; crossing < 32; crossing++) {
      const steps = run(crossing);
      const passing = steps.filter((step) => step.meetsSlo).map((step) => step.concurrency);
      expect(Math.max(...passing)).toBe(crossing);
      expect(steps.length).toBeLessThanOrEqual(maxLevels(settings));
      expect(new Set(steps.map((step) => step.concurrency)).size).toBe(steps.length);
    }
    // Nothing meets: one level, then done.
    expect(run(0)).toEqual([{ concurrency: 1, meetsSlo: false }]);
    expect(nextLevel(run(0), settings)).toEqual({ done: true, reason: 'NONE_MET' });
    // Everything meets: climbs to the cap and says so.
    const all = run(1000);
    expect(all.map((step) => step.concurrency)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(nextLevel(all, settings)).toEqual({ done: true, reason: 'CAP_REACHED' });
    // A start above the crossing bisects down.
    const high = { ...settings, startConcurrency: 8 };
    const steps: SearchStep[] = [];
    for (;;) {
      const next = nextLevel(steps, high);
      if (next.done) break;
      steps.push({ concurrency: next.concurrency, meetsSlo: next.concurrency <= 3 });
    }
    expect(Math.max(...steps.filter((step) => step.meetsSlo).map((step) => step.concurrency))).toBe(3);
  });
});
