import { afterEach, describe, expect, it } from 'vitest';
import {
  runAndStoreQualityEvaluation,
  runQualityEvaluation,
} from '../../../src/app/evidence/run-quality-evaluation';
import { parseJudgeVerdict } from '../../../src/domain/quality/judge-verdict';
import { parseQuestionSetJsonl, QuestionSetError } from '../../../src/domain/quality/question-set';
import { startFakeCandidateServer } from '../../fakes/fake-candidate-server';
import { ACCEPT_JSON, REJECT_JSON, startFakeJudgeServer } from '../../fakes/fake-judge-server';
import type { ScriptedChatServer } from '../../fakes/scripted-chat-server';

const QUESTION_SET_JSONL = [
  '{"id": "q1", "question": "What is the Spark memory bandwidth?", "reference": "273 GB/s"}',
  '{"id": "q2", "question": "Can Bedrock fine-tune weights be downloaded?", "reference": "No; the job output holds metrics only."}',
  '',
  '{"id": "q3", "question": "Why does a 26B MoE decode faster than a dense 8B?", "rubric": "Must say decode is bandwidth-bound and set by active parameters."}',
  '{"id": "q4", "question": "How long did the local LoRA take?", "reference": "About thirty-five minutes."}',
].join('\n');

const servers: ScriptedChatServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function started(server: Promise<ScriptedChatServer>): Promise<ScriptedChatServer> {
  const running = await server;
  servers.push(running);
  return running;
}

describe('runQualityEvaluation over real HTTP', () => {
  it('accepts only where both judges accept, and reports agreement and disagreements', async () => {
    const { questions } = parseQuestionSetJsonl(QUESTION_SET_JSONL);
    const candidate = await started(
      startFakeCandidateServer({
        'What is the Spark memory bandwidth?': '273 GB/s of LPDDR5x bandwidth.',
        'Can Bedrock fine-tune weights be downloaded?': 'Yes, from the S3 output folder.',
        'Why does a 26B MoE decode faster than a dense 8B?':
          'Decode is bandwidth-bound; only ~4B parameters are read per token.',
        'How long did the local LoRA take?': 'About 35 minutes.',
      }),
    );
    const strictJudge = await started(
      startFakeJudgeServer({
        '273 GB/s of LPDDR5x bandwidth.': ACCEPT_JSON,
        'Yes, from the S3 output folder.': REJECT_JSON,
        'Decode is bandwidth-bound; only ~4B parameters are read per token.': `Sure! Here is my grading:\n\`\`\`json\n${ACCEPT_JSON}\n\`\`\``,
        'About 35 minutes.': 'The answer seems fine to me overall.',
      }),
    );
    const frontierJudge = await started(
      startFakeJudgeServer({
        '273 GB/s of LPDDR5x bandwidth.': '{"verdict": "ACCEPT", "reason": "exact"}',
        'Yes, from the S3 output folder.': ACCEPT_JSON,
        'Decode is bandwidth-bound; only ~4B parameters are read per token.': ACCEPT_JSON,
        'About 35 minutes.': ACCEPT_JSON,
      }),
    );

    const evaluation = await runQualityEvaluation({
      now: () => new Date(),
      questions,
      candidate: { url: candidate.url, model: 'llama-lora' },
      judges: [
        { url: strictJudge.url, model: 'strict-judge' },
        { url: `${frontierJudge.url}/chat/completions`, model: 'frontier-judge', apiKey: 'judge-secret' },
      ],
      concurrency: 2,
    });

    expect(evaluation.outcomes.map((outcome) => [outcome.id, outcome.accepted])).toEqual([
      ['q1', true],
      ['q2', false],
      ['q3', true],
      ['q4', false],
    ]);
    expect(evaluation.accepted).toBe(2);
    expect(evaluation.acceptedRate).toBe(0.5);
    expect(evaluation.judgeAgreementRate).toBe(0.5);
    expect(evaluation.disagreements.map((outcome) => outcome.id)).toEqual(['q2', 'q4']);
    const unreadable = evaluation.outcomes[3]?.verdicts[0];
    expect(unreadable?.decision).toBe('reject');
    expect(unreadable?.note).toMatch(/no readable verdict/);
    expect(evaluation.questionSetHash).toMatch(/^[0-9a-f]{64}$/);

    // What went over the wire: the candidate got the bare question, the judges the answer and the reference.
    expect(candidate.received.map((request) => request.model)).toEqual(Array(4).fill('llama-lora'));
    expect(candidate.received.every((request) => request.stream === false && request.temperature === 0)).toBe(
      true,
    );
    const judgePrompt = strictJudge.received.find((request) =>
      request.messages[1]?.content.includes('273 GB/s of LPDDR5x'),
    );
    expect(judgePrompt?.messages[1]?.content).toContain('REFERENCE ANSWER:\n273 GB/s');
    expect(judgePrompt?.messages[0]?.content).toMatch(/strict grader[\s\S]*JSON/);
    expect(frontierJudge.received.every((request) => request.authorization === 'Bearer judge-secret')).toBe(
      true,
    );
    expect(candidate.peakConcurrency()).toBeLessThanOrEqual(2);
  });

  it('keeps at most `concurrency` candidate requests in flight and uses them', async () => {
    const { questions } = parseQuestionSetJsonl(QUESTION_SET_JSONL);
    const candidate = await started(startFakeCandidateServer({}, { delayMs: 60 }));
    const judge = await started(startFakeJudgeServer({}));
    await runQualityEvaluation({
      now: () => new Date(),
      questions,
      candidate: { url: candidate.url, model: 'slow' },
      judges: [
        { url: judge.url, model: 'a' },
        { url: judge.url, model: 'b' },
      ],
      concurrency: 3,
    });
    expect(candidate.peakConcurrency()).toBe(3);
  });

  it('counts a failing candidate as not accepted, retries 5xx, and treats a failing judge as a reject with a note', async () => {
    const { questions } = parseQuestionSetJsonl(QUESTION_SET_JSONL);
    let flakyCalls = 0;
    const candidate = await started(
      startFakeCandidateServer({
        'What is the Spark memory bandwidth?': {
          status: 400,
          body: '{"error": {"message": "context too long"}}',
        },
        'Can Bedrock fine-tune weights be downloaded?': 'No.',
        'Why does a 26B MoE decode faster than a dense 8B?': 'Active parameters.',
        'How long did the local LoRA take?': '35 minutes.',
      }),
    );
    const judgeA = await started(
      startFakeJudgeServer({
        'No.': ACCEPT_JSON,
        'Active parameters.': ACCEPT_JSON,
        '35 minutes.': ACCEPT_JSON,
      }),
    );
    const judgeB = await started(
      startFakeJudgeServer({
        'No.': ACCEPT_JSON,
        'Active parameters.': { status: 503, body: 'overloaded' },
        '35 minutes.': ACCEPT_JSON,
      }),
    );
    const evaluation = await runQualityEvaluation({
      now: () => new Date(),
      questions,
      candidate: { url: candidate.url, model: 'c' },
      judges: [
        { url: judgeA.url, model: 'a' },
        { url: judgeB.url, model: 'b' },
      ],
      concurrency: 1,
      attempts: 2,
      retryDelayMs: 1,
    });
    flakyCalls = judgeB.received.filter((request) =>
      request.messages[1]?.content.endsWith('Active parameters.'),
    ).length;
    expect(flakyCalls).toBe(2);
    const [q1, q2, q3] = evaluation.outcomes;
    expect(q1?.candidateError).toMatch(/HTTP 400/);
    expect(q1?.accepted).toBe(false);
    expect(q1?.judgesAgree).toBeNull();
    expect(
      candidate.received.filter((request) => request.messages.at(-1)?.content.startsWith('What is the Spark'))
        .length,
    ).toBe(1);
    expect(q2?.accepted).toBe(true);
    expect(q3?.verdicts[1]?.note).toMatch(/judge request failed .*HTTP 503/);
    expect(q3?.accepted).toBe(false);
    expect(evaluation.candidateFailures).toBe(1);
    expect(evaluation.judged).toBe(3);
    expect(evaluation.acceptedRate).toBe(0.5);
  });

  it('hands the evaluation to a store callback and returns what it stored', async () => {
    const { questions, contentHash } = parseQuestionSetJsonl(QUESTION_SET_JSONL);
    const candidate = await started(startFakeCandidateServer({}));
    const judge = await started(startFakeJudgeServer({ "I don't know.": ACCEPT_JSON }));
    const storedHashes: string[] = [];
    const { evaluation, stored } = await runAndStoreQualityEvaluation(
      {
        now: () => new Date(),
        questions,
        candidate: { url: candidate.url, model: 'c' },
        judges: [
          { url: judge.url, model: 'a' },
          { url: judge.url, model: 'b' },
        ],
        concurrency: 4,
      },
      async (result) => {
        storedHashes.push(result.questionSetHash);
        return `evaluation-${result.accepted}`;
      },
    );
    expect(storedHashes).toEqual([contentHash]);
    expect(stored).toBe('evaluation-4');
    expect(evaluation.judgeAgreementRate).toBe(1);
  });
});

describe('question sets', () => {
  it('hashes the same questions the same way in any line order, and differently when one changes', () => {
    const lines = QUESTION_SET_JSONL.split('\n');
    const reordered = [...lines].reverse().join('\n');
    expect(parseQuestionSetJsonl(reordered).contentHash).toBe(
      parseQuestionSetJsonl(QUESTION_SET_JSONL).contentHash,
    );
    const edited = QUESTION_SET_JSONL.replace('273 GB/s"', '273 GB/s."');
    expect(parseQuestionSetJsonl(edited).contentHash).not.toBe(
      parseQuestionSetJsonl(QUESTION_SET_JSONL).contentHash,
    );
  });

  it.each([
    [
      '{"id": "q1", "question": "x", "reference": "y"}\n{"id": "q2", "question": "z"}',
      2,
      /reference answer or a rubric/,
    ],
    [
      '{"id": "q1", "question": "x", "reference": "y"}\n\n{"id": "q1", "question": "z", "rubric": "r"}',
      3,
      /duplicate id "q1" \(first on line 1\)/,
    ],
    ['{"id": "q1", "question": "x", "reference": "y"}\n{"id": 7,', 2, /not valid JSON/],
    ['{"id": "q1", "question": 42, "reference": "y"}', 1, /question:/],
    ['{"id": "q1", "question": "x", "reference": "y", "answer": "leak"}', 1, /answer/],
  ])('refuses a bad line with its line number: %s', (text, lineNumber, problem) => {
    let caught: unknown;
    try {
      parseQuestionSetJsonl(text, 'set.jsonl');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuestionSetError);
    expect((caught as QuestionSetError).lineNumber).toBe(lineNumber);
    expect((caught as QuestionSetError).message).toMatch(problem);
    expect((caught as QuestionSetError).message.startsWith(`set.jsonl:${lineNumber}: `)).toBe(true);
  });
});

describe('judge output parsing', () => {
  it.each([
    ['{"verdict": "accept"}', 'accept', null],
    ['Verdict below.\n{"verdict": "Reject", "reason": "wrong number"}', 'reject', null],
    ['{"accept": true, "reason": "ok"}', 'accept', null],
    ['ACCEPT.', 'accept', null],
    ['{"verdict": "accept"} ... on reflection {"verdict": "reject"}', 'reject', /conflicting/],
    ['I would accept this, or maybe reject it.', 'reject', /no readable verdict/],
    ['{"verdict": "maybe"}', 'reject', /no readable verdict/],
    ['', 'reject', /no readable verdict/],
  ])('%j → %s', (output, decision, note) => {
    const verdict = parseJudgeVerdict(output);
    expect(verdict.decision).toBe(decision);
    if (note === null) expect(verdict.note).toBeNull();
    else expect(verdict.note).toMatch(note);
  });
});
