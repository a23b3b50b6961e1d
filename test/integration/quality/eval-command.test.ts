import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvalCommand } from '../../../src/cli/commands/eval';
import { startFakeCandidateServer } from '../../fakes/fake-candidate-server';
import { ACCEPT_JSON, REJECT_JSON, startFakeJudgeServer } from '../../fakes/fake-judge-server';
import type { ScriptedChatServer } from '../../fakes/scripted-chat-server';
import { createTestDatabase } from '../../support/database';

let directory: string;
let questionsPath: string;
let candidate: ScriptedChatServer;
let judgeA: ScriptedChatServer;
let judgeB: ScriptedChatServer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'floorplan-eval-'));
  questionsPath = join(directory, 'questions.jsonl');
  await writeFile(
    questionsPath,
    '{"id": "q1", "question": "Bandwidth?", "reference": "273 GB/s"}\n{"id": "q2", "question": "Weights downloadable?", "reference": "No"}\n',
  );
  candidate = await startFakeCandidateServer({ 'Bandwidth?': '273 GB/s', 'Weights downloadable?': 'Yes' });
  judgeA = await startFakeJudgeServer({ '273 GB/s': ACCEPT_JSON, Yes: REJECT_JSON });
  judgeB = await startFakeJudgeServer({ '273 GB/s': ACCEPT_JSON, Yes: ACCEPT_JSON });
});

afterAll(async () => {
  await Promise.all([candidate.close(), judgeA.close(), judgeB.close()]);
  await rm(directory, { recursive: true, force: true });
});

function capture() {
  const output = { stdout: '', stderr: '' };
  return {
    output,
    io: {
      stdout: (text: string) => {
        output.stdout += text;
      },
      stderr: (text: string) => {
        output.stderr += text;
      },
    },
  };
}

describe('floorplan eval', () => {
  it('prints the accepted rate, agreement and disagreements', async () => {
    const { output, io } = capture();
    const code = await runEvalCommand(
      [
        '--questions',
        questionsPath,
        '--candidate',
        `lora@${candidate.url}`,
        '--judge',
        `cheap@${judgeA.url}`,
        '--judge',
        `frontier@${judgeB.url}`,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(output.stdout).toContain('accepted: 1/2 (50.0%)');
    expect(output.stdout).toContain('judge agreement: 50.0% over 2 judged');
    expect(output.stdout).toMatch(
      /disagreements to review:\n {2}q2: cheap: reject \(contradicts the reference\); frontier: accept/,
    );
  });

  it('prints JSON with --json', async () => {
    const { output, io } = capture();
    const code = await runEvalCommand(
      [
        '--questions',
        questionsPath,
        '--candidate',
        `lora@${candidate.url}`,
        '--judge',
        `a@${judgeA.url}`,
        '--judge',
        `b@${judgeB.url}`,
        '--json',
        '--concurrency',
        '1',
      ],
      io,
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(output.stdout) as {
      accepted: number;
      total: number;
      disagreements: { id: string }[];
    };
    expect([parsed.accepted, parsed.total, parsed.disagreements.map((item) => item.id)]).toEqual([
      1,
      2,
      ['q2'],
    ]);
  });

  it('answers bad arguments with usage and exit code 2, a bad question set with 1', async () => {
    const missingJudge = capture();
    expect(
      await runEvalCommand(
        ['--questions', questionsPath, '--candidate', `lora@${candidate.url}`, '--judge', `a@${judgeA.url}`],
        missingJudge.io,
      ),
    ).toBe(2);
    expect(missingJudge.output.stderr).toMatch(/exactly two --judge[\s\S]*usage:/);
    const badEndpoint = capture();
    expect(
      await runEvalCommand(
        [
          '--questions',
          questionsPath,
          '--candidate',
          'lora',
          '--judge',
          'a@http://x',
          '--judge',
          'b@http://y',
        ],
        badEndpoint.io,
      ),
    ).toBe(2);
    expect(badEndpoint.output.stderr).toContain('expected MODEL@URL, got "lora"');
    const badSetPath = join(directory, 'bad.jsonl');
    await writeFile(badSetPath, '{"id": "q1", "question": "x"}\n');
    const badSet = capture();
    expect(
      await runEvalCommand(
        [
          '--questions',
          badSetPath,
          '--candidate',
          `lora@${candidate.url}`,
          '--judge',
          `a@${judgeA.url}`,
          '--judge',
          `b@${judgeB.url}`,
        ],
        badSet.io,
      ),
    ).toBe(1);
    expect(badSet.output.stderr).toContain(`${badSetPath}:1: needs a reference answer or a rubric`);
  });

  it('fails loudly, storing nothing, when the candidate cannot be reached or a judge answers garbage', async () => {
    const database = await createTestDatabase();
    const garbageJudge = await startFakeJudgeServer({ '273 GB/s': 'I think so?', Yes: 'hmm' });
    try {
      const evaluations = () => database.prisma.qualityEvaluation.count();
      const before = await evaluations();
      const storeArgs = ['--store', '--variant', 'llama-3.1-8b-lora'];

      const unreachable = capture();
      const code = await runEvalCommand(
        [
          '--questions',
          questionsPath,
          '--candidate',
          'lora@http://127.0.0.1:1/v1',
          '--judge',
          `cheap@${judgeA.url}`,
          '--judge',
          `frontier@${judgeB.url}`,
          '--timeout-ms',
          '2000',
          ...storeArgs,
        ],
        unreachable.io,
        { prisma: database.prisma },
      );
      expect(code).toBe(1);
      expect(unreachable.output.stderr).toContain('incomplete, so nothing was stored');
      expect(unreachable.output.stderr).toMatch(
        /candidate lora at http:\/\/127\.0\.0\.1:1\/v1: no answer to 2 of 2 questions/,
      );
      expect(unreachable.output.stdout).toBe('');

      const garbage = capture();
      const judgeArgs = ['--judge', `cheap@${judgeA.url}`, '--judge', `frontier@${garbageJudge.url}`];
      const base = ['--questions', questionsPath, '--candidate', `lora@${candidate.url}`, ...judgeArgs];
      expect(await runEvalCommand([...base, ...storeArgs], garbage.io, { prisma: database.prisma })).toBe(1);
      expect(garbage.output.stderr).toMatch(/judge 2 frontier at .*: no usable verdict on 2 of 2 answers/);
      expect(await evaluations()).toBe(before);

      // Asked for, a partial run is kept, and says so.
      const partial = capture();
      expect(
        await runEvalCommand([...base, ...storeArgs, '--allow-partial'], partial.io, {
          prisma: database.prisma,
        }),
      ).toBe(0);
      expect(await evaluations()).toBe(before + 1);
      const stored = await database.prisma.qualityEvaluation.findFirstOrThrow({
        orderBy: { evaluatedAt: 'desc' },
      });
      expect(stored.source).toMatch(/^PARTIAL \(judge 2 frontier/);
    } finally {
      await garbageJudge.close();
      await database.drop();
    }
  }, 180_000);
});
