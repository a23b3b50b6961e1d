import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ChatEndpoint } from '../../domain/quality/chat-completions-client';
import { parseQuestionSetJsonl, QuestionSetError } from '../../domain/quality/question-set';
import { type QualityEvaluation, runQualityEvaluation } from '../../domain/quality/run-quality-evaluation';

const USAGE = `usage: floorplan eval --questions FILE.jsonl --candidate MODEL@URL --judge MODEL@URL --judge MODEL@URL
                     [--concurrency N] [--timeout-ms MS] [--json]
  MODEL@URL    a model behind an OpenAI-compatible API, e.g. llama-lora@http://spark-01:8000/v1
  API keys are read from FLOORPLAN_CANDIDATE_API_KEY, FLOORPLAN_JUDGE_1_API_KEY, FLOORPLAN_JUDGE_2_API_KEY when set.`;

export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

class UsageError extends Error {}

/** Exit codes: 0 done, 1 the evaluation could not run (bad question set, I/O), 2 bad arguments. */
export async function runEvalCommand(args: string[], output: CommandOutput = processOutput): Promise<number> {
  let options: ReturnType<typeof parseEvalArguments>;
  try {
    options = parseEvalArguments(args);
  } catch (error) {
    output.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const questionSet = parseQuestionSetJsonl(
      await readFile(options.questionsPath, 'utf8'),
      options.questionsPath,
    );
    const evaluation = await runQualityEvaluation({
      questions: questionSet.questions,
      candidate: options.candidate,
      judges: options.judges,
      concurrency: options.concurrency,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    output.stdout(options.json ? `${JSON.stringify(evaluation, null, 2)}\n` : formatEvaluation(evaluation));
    return 0;
  } catch (error) {
    const message =
      error instanceof QuestionSetError ? error.message : `evaluation failed: ${(error as Error).message}`;
    output.stderr(`${message}\n`);
    return 1;
  }
}

function parseEvalArguments(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      questions: { type: 'string' },
      candidate: { type: 'string' },
      judge: { type: 'string', multiple: true },
      concurrency: { type: 'string', default: '4' },
      'timeout-ms': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (values.questions === undefined) throw new UsageError('--questions is required');
  if (values.candidate === undefined) throw new UsageError('--candidate is required');
  const judges = values.judge ?? [];
  if (judges.length !== 2) throw new UsageError(`exactly two --judge are required, got ${judges.length}`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(timeoutMs > 0))
    throw new UsageError('--timeout-ms must be a positive number');
  return {
    questionsPath: values.questions,
    candidate: parseEndpoint(values.candidate, process.env.FLOORPLAN_CANDIDATE_API_KEY),
    judges: [
      parseEndpoint(judges[0] as string, process.env.FLOORPLAN_JUDGE_1_API_KEY),
      parseEndpoint(judges[1] as string, process.env.FLOORPLAN_JUDGE_2_API_KEY),
    ] as [ChatEndpoint, ChatEndpoint],
    concurrency,
    timeoutMs,
    json: values.json,
  };
}

function parseEndpoint(specification: string, apiKey: string | undefined): ChatEndpoint {
  // Split on the first @ followed by a scheme: model names never contain "@http".
  const separator = specification.search(/@https?:\/\//);
  if (separator <= 0) throw new UsageError(`expected MODEL@URL, got "${specification}"`);
  const url = specification.slice(separator + 1);
  try {
    new URL(url);
  } catch {
    throw new UsageError(`not a URL: "${url}"`);
  }
  return { model: specification.slice(0, separator), url, ...(apiKey ? { apiKey } : {}) };
}

export function formatEvaluation(evaluation: QualityEvaluation): string {
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const lines = [
    `question set ${evaluation.questionSetHash.slice(0, 12)} · candidate ${evaluation.candidate.model}`,
    `judges: ${evaluation.judges.map((judge) => judge.model).join(' + ')} (accepted only where both accept)`,
    `accepted: ${evaluation.accepted}/${evaluation.total} (${percent(evaluation.acceptedRate)})`,
    `judge agreement: ${percent(evaluation.judgeAgreementRate)} over ${evaluation.judged} judged`,
  ];
  if (evaluation.candidateFailures > 0)
    lines.push(`candidate failures: ${evaluation.candidateFailures} (counted as not accepted)`);
  for (const outcome of evaluation.outcomes) {
    for (const [index, verdict] of outcome.verdicts.entries()) {
      if (verdict.note !== null) lines.push(`note: ${outcome.id} judge ${index + 1}: ${verdict.note}`);
    }
    if (outcome.candidateError !== null) lines.push(`note: ${outcome.id}: ${outcome.candidateError}`);
  }
  if (evaluation.disagreements.length > 0) {
    lines.push('disagreements to review:');
    for (const outcome of evaluation.disagreements) {
      const decisions = outcome.verdicts
        .map(
          (verdict, index) =>
            `${evaluation.judges[index]?.model ?? `judge ${index + 1}`}: ${verdict.decision}${verdict.reason === null ? '' : ` (${verdict.reason})`}`,
        )
        .join('; ');
      lines.push(`  ${outcome.id}: ${decisions}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
