import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';

// The command runs in its own process, as a user would run it, against the fake on loopback.
const ENTRY = `import('./src/cli/commands/bench.ts').then((command) => command.runBenchCommand(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', ENTRY, '--', ...args],
      { timeout: 20_000 },
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
});
