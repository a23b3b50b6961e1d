import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvalCommand } from '../../../src/cli/commands/eval';
import { parseQuestionSetJsonl } from '../../../src/domain/quality/question-set';
import { startFakeCandidateServer } from '../../fakes/fake-candidate-server';
import { ACCEPT_JSON, REJECT_JSON, startFakeJudgeServer } from '../../fakes/fake-judge-server';
import type { ScriptedChatServer } from '../../fakes/scripted-chat-server';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const QUESTIONS =
  '{"id": "q1", "question": "Bandwidth?", "reference": "273 GB/s"}\n' +
  '{"id": "q2", "question": "Weights downloadable?", "reference": "No"}\n' +
  '{"id": "q3", "question": "Memory?", "reference": "128 GB"}\n';

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordQualityEvaluationInput!) {
    recordQualityEvaluation(input: $input) {
      slug accepted total acceptedRate judges judgeAgreement
      variant { slug }
      path { slug }
      questionSet { slug contentHash questionCount }
    }
  }
`;

const EVALUATIONS = /* GraphQL */ `
  query Evaluations($variant: String, $questionSetHash: String) {
    qualityEvaluations(variant: $variant, questionSetHash: $questionSetHash) {
      slug accepted total questionSet { contentHash }
    }
  }
`;

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

describe('quality evaluations', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let directory: string;
  let questionsPath: string;
  let candidate: ScriptedChatServer;
  let judgeA: ScriptedChatServer;
  let judgeB: ScriptedChatServer;
  const contentHash = parseQuestionSetJsonl(QUESTIONS).contentHash;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    directory = await mkdtemp(join(tmpdir(), 'floorplan-evidence-eval-'));
    questionsPath = join(directory, 'spark-facts.jsonl');
    await writeFile(questionsPath, QUESTIONS);
    candidate = await startFakeCandidateServer({
      'Bandwidth?': '273 GB/s',
      'Weights downloadable?': 'Yes',
      'Memory?': '128 GB',
    });
    judgeA = await startFakeJudgeServer({ '273 GB/s': ACCEPT_JSON, Yes: REJECT_JSON, '128 GB': ACCEPT_JSON });
    judgeB = await startFakeJudgeServer({ '273 GB/s': ACCEPT_JSON, Yes: ACCEPT_JSON, '128 GB': ACCEPT_JSON });
  });
  afterAll(async () => {
    await Promise.all([candidate.close(), judgeA.close(), judgeB.close()]);
    await rm(directory, { recursive: true, force: true });
    await database.drop();
  });

  const evalArgs = (...extra: string[]) => [
    '--questions',
    questionsPath,
    '--candidate',
    `lora@${candidate.url}`,
    '--judge',
    `cheap@${judgeA.url}`,
    '--judge',
    `frontier@${judgeB.url}`,
    ...extra,
  ];

  it('runs against the fake candidate and judges and stores the evaluation with its question set', async () => {
    const { output, io } = capture();
    const code = await runEvalCommand(
      evalArgs('--store', '--variant', 'llama-3.1-8b-lora', '--path', 'dgx-spark', '--with-retrieval'),
      io,
      { prisma: database.prisma },
    );
    expect(output.stderr).toBe('');
    expect(code).toBe(0);
    expect(output.stdout).toContain('accepted: 2/3');
    expect(output.stdout).toMatch(/stored as quality evaluation (\S+) \(id \S+\)/);

    const stored = await database.prisma.qualityEvaluation.findFirstOrThrow({
      where: { questionSet: { contentHash } },
      include: { questionSet: true, variant: true, path: true },
    });
    expect(stored).toMatchObject({
      accepted: 2,
      total: 3,
      withRetrieval: true,
      judges: ['cheap', 'frontier'],
    });
    expect(stored.variant.slug).toBe('llama-3.1-8b-lora');
    expect(stored.path?.slug).toBe('dgx-spark');
    expect(stored.judgeAgreement?.toString()).toBe('0.66667');
    expect(stored.disagreements).toEqual([
      expect.objectContaining({
        id: 'q2',
        answer: 'Yes',
        verdicts: [
          expect.objectContaining({ judge: 'cheap', decision: 'reject' }),
          expect.objectContaining({ judge: 'frontier', decision: 'accept' }),
        ],
      }),
    ]);
    expect(stored.questionSet).toMatchObject({ slug: 'spark-facts', questionCount: 3 });
    const audit = await database.prisma.auditEvent.findFirstOrThrow({ where: { entityId: stored.id } });
    expect(audit.action).toBe('quality-evaluation.record');

    // A second run on the same file reuses the question set (by content hash).
    const again = capture();
    expect(
      await runEvalCommand(evalArgs('--store', '--variant', 'llama-3.1-8b-lora'), again.io, {
        prisma: database.prisma,
      }),
    ).toBe(0);
    expect(await database.prisma.questionSet.count({ where: { contentHash } })).toBe(1);
    expect(await database.prisma.qualityEvaluation.count({ where: { questionSet: { contentHash } } })).toBe(
      2,
    );
  });

  it('checks the variant before calling any model, and stores nothing for an unknown one', async () => {
    const before = await database.prisma.qualityEvaluation.count();
    const requestsBefore = candidate.received.length;
    const { output, io } = capture();
    const code = await runEvalCommand(evalArgs('--store', '--variant', 'llama-9b'), io, {
      prisma: database.prisma,
    });
    expect(code).toBe(1);
    expect(output.stderr).toMatch(
      /No model variant "llama-9b"\. Known model variant slugs: .*llama-3\.1-8b-lora/,
    );
    expect(candidate.received.length).toBe(requestsBefore);
    expect(await database.prisma.qualityEvaluation.count()).toBe(before);
  });

  it('refuses --variant without --store (exit 2)', async () => {
    const { output, io } = capture();
    expect(
      await runEvalCommand(evalArgs('--variant', 'llama-3.1-8b-lora'), io, { prisma: database.prisma }),
    ).toBe(2);
    expect(output.stderr).toContain('add --store');
  });

  it('records an evaluation run elsewhere, on a set named by slug or hash', async () => {
    const bySlug = await api.run<{
      recordQualityEvaluation: { slug: string; acceptedRate: number; questionSet: { slug: string } };
    }>(
      RECORD,
      {
        input: {
          variant: 'llama-3.1-8b-lora',
          path: 'dgx-spark',
          questionSetSlug: 'lab-frozen-30',
          withRetrieval: true,
          judges: ['cheap strict judge', 'frontier judge'],
          accepted: 22,
          total: 30,
          judgeAgreement: '0.9',
          source: 'rerun on the box after the adapter merge',
          evaluatedAt: '2026-07-02T10:00:00Z',
          slug: 'lab-lora-8b-rerun',
        },
      },
      { as: 'OPERATOR' },
    );
    expect(bySlug.body.errors).toBeUndefined();
    expect(bySlug.body.data?.recordQualityEvaluation).toMatchObject({
      slug: 'lab-lora-8b-rerun',
      questionSet: { slug: 'lab-frozen-30' },
    });
    expect(bySlug.body.data?.recordQualityEvaluation.acceptedRate).toBeCloseTo(22 / 30);

    const byHash = await api.run<{ recordQualityEvaluation: { questionSet: { contentHash: string } } }>(
      RECORD,
      {
        input: {
          variant: 'llama-3.1-8b-instruct-base',
          questionSetHash: contentHash,
          withRetrieval: false,
          judges: ['frontier judge'],
          accepted: 1,
          total: 3,
          source: 'run elsewhere',
          evaluatedAt: '2026-07-03T10:00:00Z',
        },
      },
      { as: 'OPERATOR' },
    );
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data?.recordQualityEvaluation.questionSet.contentHash).toBe(contentHash);

    // A new set, described in full, is created on first use.
    const newSet = await api.run<{
      recordQualityEvaluation: { questionSet: { slug: string; questionCount: number } };
    }>(
      RECORD,
      {
        input: {
          variant: 'llama-3.1-8b-lora',
          questionSetHash: 'sha256:elsewhere-set',
          questionSetName: 'Support tickets, 50',
          questionCount: 50,
          withRetrieval: true,
          judges: ['a', 'b'],
          accepted: 40,
          total: 50,
          source: 'partner lab',
          evaluatedAt: '2026-07-04T10:00:00Z',
        },
      },
      { as: 'ADMIN' },
    );
    expect(newSet.body.errors).toBeUndefined();
    expect(newSet.body.data?.recordQualityEvaluation.questionSet).toMatchObject({
      slug: 'support-tickets-50',
      questionCount: 50,
    });
  });

  it('filters evaluations by question set hash, so only comparable ones are listed together', async () => {
    const { body } = await api.run<{
      qualityEvaluations: { slug: string; questionSet: { contentHash: string } }[];
    }>(EVALUATIONS, { questionSetHash: contentHash }, { as: 'VIEWER' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.qualityEvaluations.length).toBe(3);
    expect(
      body.data?.qualityEvaluations.every((evaluation) => evaluation.questionSet.contentHash === contentHash),
    ).toBe(true);
    const lab = await api.run<{ qualityEvaluations: { slug: string }[] }>(
      EVALUATIONS,
      { variant: 'llama-3.1-8b-lora', questionSetHash: 'unpublished:lab-frozen-30' },
      { as: 'VIEWER' },
    );
    expect(lab.body.data?.qualityEvaluations.map((evaluation) => evaluation.slug).sort()).toEqual([
      'lab-lora-8b',
      'lab-lora-8b-rerun',
    ]);
  });

  it('validates the input: accepted ≤ total, at least one judge, a known question set', async () => {
    const valid = {
      variant: 'llama-3.1-8b-lora',
      questionSetSlug: 'lab-frozen-30',
      withRetrieval: true,
      judges: ['a'],
      accepted: 10,
      total: 30,
      source: 'test',
      evaluatedAt: '2026-07-05T10:00:00Z',
    };
    const before = await database.prisma.qualityEvaluation.count();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ accepted: 31 }, /input\.accepted: accepted cannot exceed total/],
      [{ judges: [] }, /input\.judges: at least one judge/],
      [{ questionSetSlug: null }, /name the question set by questionSetHash or questionSetSlug/],
      [{ questionSetSlug: 'no-such-set' }, /No question set "no-such-set"/],
      [{ total: 31, accepted: 1 }, /total \(31\) is more than the 30 questions/],
      [{ judgeAgreement: '1.5' }, /input\.judgeAgreement: must be between 0 and 1/],
      [{ path: 'nowhere' }, /No serving path "nowhere"/],
    ];
    for (const [change, message] of cases) {
      const { body } = await api.run(RECORD, { input: { ...valid, ...change } }, { as: 'OPERATOR' });
      expect(body.errors?.[0]?.message, JSON.stringify(change)).toMatch(message);
    }
    const duplicate = await api.run(RECORD, { input: { ...valid, slug: 'lab-lora-8b' } }, { as: 'OPERATOR' });
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await database.prisma.qualityEvaluation.count()).toBe(before);
  });

  it('refuses viewers, runners and anonymous callers', async () => {
    const input = {
      variant: 'llama-3.1-8b-lora',
      questionSetSlug: 'lab-frozen-30',
      withRetrieval: true,
      judges: ['a'],
      accepted: 1,
      total: 30,
      source: 'test',
      evaluatedAt: '2026-07-05T10:00:00Z',
    };
    for (const as of ['VIEWER', 'RUNNER', 'ANONYMOUS'] as const) {
      const { body } = await api.run(RECORD, { input }, { as });
      expect(body.errors?.[0]?.extensions?.code, as).toBe('FORBIDDEN');
    }
  });
});
