import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOADED_CONFIGURATIONS, startLoadedServer } from '../../fakes/loaded-server';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';

// The command runs in its own process, as a user would run it, against the fake on loopback.
const ENTRY = `import('./src/cli/commands/bench.ts').then((command) => command.runBenchCommand(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;

function runBench(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', ENTRY, '--', ...args],
      { timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAiServer({ ttftMs: 5, tokenGapMs: 1 });
});
afterAll(async () => {
  await fake.close();
});

describe('floorplan bench', () => {
  it('prints one JSON summary per concurrency level', async () => {
    const result = await runBench([
      '--endpoint',
      fake.url,
      '--model',
      'fake-model',
      '--concurrency',
      '1,4',
      '--prompts',
      '6',
      '--input-tokens',
      '16',
      '--output-tokens',
      '5',
      '--endpoint-kind',
      'chat',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      summaries: Array<{ completed: number; totalOutputTokens: number; profile: unknown }>;
    };
    expect(output.summaries.map((summary) => summary.profile)).toEqual([
      { kind: 'concurrency', maxConcurrency: 1 },
      { kind: 'concurrency', maxConcurrency: 4 },
    ]);
    expect(output.summaries.map((summary) => summary.totalOutputTokens)).toEqual([30, 30]);
  });

  it('prints a readable table', async () => {
    const result = await runBench([
      '--endpoint',
      fake.url,
      '--model',
      'fake-model',
      '--prompts',
      '3',
      '--output-tokens',
      '4',
      '--input-tokens',
      '8',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^load\s+ok\s+failed/);
    expect(result.stdout).toMatch(/concurrency 1\s+3\s+0/);
  });

  it('names the flag of every invalid argument and exits 2', async () => {
    const result = await runBench([
      '--endpoint',
      'localhost:8000',
      '--model',
      'm',
      '--concurrency',
      '4,zero',
      '--prompts=-2',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--endpoint: must be an http(s) URL');
    expect(result.stderr).toContain('--concurrency: must be a whole number');
    expect(result.stderr).toContain('--prompts: must be at least 1');
  });

  it('--slo-search --slo … --json: the largest concurrency at the SLO, the goodput there and the per-level table (issue 16, item 1)', async () => {
    // The loaded fake's baseline: TPOT = 3c ms, so 16.5 ms is met at 5 streams (15 ms) and missed at
    // 6 (18 ms); TTFT stays 10 ms at any load, far inside 5,000.
    const loaded = await startLoadedServer(
      LOADED_CONFIGURATIONS.baseline as NonNullable<(typeof LOADED_CONFIGURATIONS)['baseline']>,
    );
    try {
      const args = [
        '--endpoint',
        loaded.url,
        '--model',
        'fake-model',
        '--slo-search',
        '--slo',
        'ttft_p95_ms=5000,tpot_mean_ms=16.5',
        '--prompts',
        '8',
        '--input-tokens',
        '16',
        '--output-tokens',
        '32',
      ];
      const result = await runBench([...args, '--json'], 60_000);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout) as {
        slos: Record<string, number>;
        endReason: string;
        maxConcurrencyAtSlo: number | null;
        firstMissConcurrency: number | null;
        goodputRequestsPerSecond: number | null;
        goodputOutputTokensPerSecond: number | null;
        levels: {
          concurrency: number;
          phase: string;
          meetsSlo: boolean;
          completed: number;
          goodputRequestsPerSecond: number | null;
          goodputOutputTokensPerSecond: number | null;
          checks: { key: string; limitMs: number; measuredMs: number | null; met: boolean }[];
        }[];
      };
      expect(output.slos).toEqual({ ttftP95Ms: 5000, tpotMeanMs: 16.5 });
      expect(output.endReason).toBe('BRACKETED');
      expect(output.maxConcurrencyAtSlo).toBe(5);
      expect(output.firstMissConcurrency).toBe(6);
      // Climb 1, 2, 4, 8 geometrically, then bisect 6 and 5.
      expect(output.levels.map((level) => [level.concurrency, level.phase, level.meetsSlo])).toEqual([
        [1, 'CLIMB', true],
        [2, 'CLIMB', true],
        [4, 'CLIMB', true],
        [8, 'CLIMB', false],
        [6, 'BISECT', false],
        [5, 'BISECT', true],
      ]);
      // At 5 streams every request meets both SLOs: the goodput there is the level's, 32 output
      // tokens a request, and the answer is that level's.
      const five = output.levels.find((level) => level.concurrency === 5);
      expect(five?.checks.map((check) => [check.key, check.limitMs, check.met])).toEqual([
        ['ttftP95Ms', 5000, true],
        ['tpotMeanMs', 16.5, true],
      ]);
      const tpot = five?.checks.find((check) => check.key === 'tpotMeanMs')?.measuredMs ?? 0;
      expect(tpot).toBeGreaterThan(12);
      expect(tpot).toBeLessThan(16.5);
      expect(output.goodputRequestsPerSecond).toBe(five?.goodputRequestsPerSecond);
      expect(output.goodputOutputTokensPerSecond).toBe(five?.goodputOutputTokensPerSecond);
      expect(output.goodputRequestsPerSecond).toBeGreaterThan(0);
      expect((output.goodputOutputTokensPerSecond ?? 0) / (output.goodputRequestsPerSecond ?? 1)).toBeCloseTo(
        32,
        6,
      );
      const table = await runBench(args, 60_000);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(
        /^maxConcurrencyAtSlo: 5; goodput there [\d.]+ req\/s, [\d.]+ output tok\/s$/m,
      );
    } finally {
      await loaded.close();
    }
  }, 150_000);
});
