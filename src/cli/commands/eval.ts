import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';

import type { ChatEndpoint } from '../../../clients/openai/chat-completions';
import {
  type QualityEvaluation,
  type QualityEvaluationInput,
  runAndStoreQualityEvaluation,
  runQualityEvaluation,
} from '../../app/evidence/run-quality-evaluation';
import {
  disagreementsOf,
  resolveEvaluationTarget,
  storeQualityEvaluation,
} from '../../app/evidence/store-quality-evaluation';
import { FloorplanError } from '../../domain/errors';
import { parseQuestionSetJsonl, type QuestionSet, QuestionSetError } from '../../domain/quality/question-set';
import type { PrismaClient } from '../../generated/prisma/client';
import { parseCommandArgs, UsageError } from '../command';
import { withDatabase } from '../database';

export const USAGE = `usage: floorplan eval --questions FILE.jsonl --candidate MODEL@URL --judge MODEL@URL --judge MODEL@URL
                     [--concurrency N] [--timeout-ms MS] [--json]
                     [--store --variant SLUG [--path SLUG] [--with-retrieval]] [--allow-partial]
  MODEL@URL    a model behind an OpenAI-compatible API, e.g. llama-lora@http://spark-01:8000/v1
  --store      keep the evaluation in the database against --variant (and --path, where it was served);
               the question set is stored by content hash, so only evaluations on the same set compare
  --allow-partial  keep going when the candidate or a judge did not answer every question (the run is
               flagged PARTIAL); without it such a run exits 1 and stores nothing
  API keys are read from FLOORPLAN_CANDIDATE_API_KEY, FLOORPLAN_JUDGE_1_API_KEY, FLOORPLAN_JUDGE_2_API_KEY when set.`;

export interface EvalCommandDependencies {
  /** The database `--store` writes to; by default the one the environment names. */
  prisma?: PrismaClient;
}

export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Exit codes: 0 done, 1 the evaluation could not run or be stored (bad question set, unknown slug,
 * I/O), 2 bad arguments.
 */
export async function runEvalCommand(
  args: string[],
  output: CommandOutput = processOutput,
  dependencies: EvalCommandDependencies = {},
): Promise<number> {
  let options: ReturnType<typeof parseEvalArguments>;
  try {
    options = parseEvalArguments(args);
  } catch (error) {
    output.stderr(`floorplan eval: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const questionSet = parseQuestionSetJsonl(
      await readFile(options.questionsPath, 'utf8'),
      options.questionsPath,
    );
    const input: QualityEvaluationInput = {
      now: () => new Date(),
      questions: questionSet.questions,
      candidate: options.candidate,
      judges: options.judges,
      concurrency: options.concurrency,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    if (options.store === null) {
      const evaluation = await runQualityEvaluation(input);
      const problems = incompleteness(evaluation);
      if (problems.length > 0 && !options.allowPartial) return refuseIncomplete(output, problems, false);
      output.stdout(options.json ? `${JSON.stringify(evaluation, null, 2)}\n` : formatEvaluation(evaluation));
      if (problems.length > 0) output.stderr(`PARTIAL (--allow-partial):\n  ${problems.join('\n  ')}\n`);
      return 0;
    }
    const target = options.store;
    const { evaluation, stored } = await withPrisma(dependencies, async (prisma) => {
      // Slugs are checked before the run, so a typo costs no candidate or judge calls.
      await resolveEvaluationTarget(prisma, target);
      return runAndStoreQualityEvaluation(input, (finished) => {
        // An unreachable or garbled candidate or judge would be stored as a low score: refuse.
        const problems = incompleteness(finished);
        if (problems.length > 0 && !options.allowPartial) throw new IncompleteEvaluationError(problems);
        const record = storedRecordOf(finished, questionSet, options.questionsPath, target);
        if (problems.length > 0) record.source = `PARTIAL (${problems.join('; ')}): ${record.source}`;
        return prisma.$transaction((tx) =>
          storeQualityEvaluation(tx, record, `cli:${process.env.USER ?? 'unknown'}`),
        );
      });
    });
    output.stdout(
      options.json
        ? `${JSON.stringify({ ...evaluation, stored: { id: stored.id, slug: stored.slug } }, null, 2)}\n`
        : `${formatEvaluation(evaluation)}stored as quality evaluation ${stored.slug} (id ${stored.id})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof IncompleteEvaluationError) return refuseIncomplete(output, error.problems, true);
    const message =
      error instanceof QuestionSetError || error instanceof FloorplanError
        ? error.message
        : `evaluation failed: ${(error as Error).message}`;
    output.stderr(`${message}\n`);
    return 1;
  }
}

class IncompleteEvaluationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

function refuseIncomplete(output: CommandOutput, problems: string[], storing: boolean): number {
  output.stderr(
    `floorplan eval: the evaluation is incomplete${storing ? ', so nothing was stored' : ''}:\n  ${problems.join('\n  ')}\n` +
      'Fix the endpoint (is it up? the model name right? an API key needed?) and run again, or pass --allow-partial to keep a run flagged PARTIAL.\n',
  );
  return 1;
}

/**
 * What makes a run not a measurement of quality: questions the candidate never answered, and
 * verdicts a judge never gave (request failed, or an answer that is not a verdict). Each names the
 * endpoint, how many of the questions it failed, and the first reason.
 */
export function incompleteness(evaluation: QualityEvaluation): string[] {
  const problems: string[] = [];
  const failed = evaluation.outcomes.filter((outcome) => outcome.candidateError !== null);
  if (failed.length > 0) {
    problems.push(
      `candidate ${evaluation.candidate.model} at ${evaluation.candidate.url}: no answer to ${failed.length} of ${evaluation.total} questions (${failed[0]?.candidateError})`,
    );
  }
  evaluation.judges.forEach((judge, index) => {
    const missing = evaluation.outcomes
      .map((outcome) => outcome.verdicts[index])
      .filter((verdict) => verdict !== undefined && verdict.note !== null);
    if (missing.length > 0) {
      problems.push(
        `judge ${index + 1} ${judge.model} at ${judge.url}: no usable verdict on ${missing.length} of ${evaluation.total - failed.length} answers (${missing[0]?.note})`,
      );
    }
  });
  return problems;
}

interface StoreTarget {
  variantSlug: string;
  pathSlug: string | null;
  withRetrieval: boolean;
}

function storedRecordOf(
  evaluation: QualityEvaluation,
  questionSet: QuestionSet,
  questionsPath: string,
  target: StoreTarget,
) {
  const setName = basename(questionsPath, extname(questionsPath));
  return {
    ...target,
    questionSet: {
      kind: 'frozen' as const,
      contentHash: questionSet.contentHash,
      slug: setName.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'question-set',
      name: setName,
      questionCount: questionSet.questions.length,
      questions: questionSet.questions,
    },
    judges: evaluation.judges.map((judge) => judge.model),
    accepted: evaluation.accepted,
    total: evaluation.total,
    judgeAgreement: evaluation.judgeAgreementRate,
    disagreements: disagreementsOf(evaluation),
    source: `floorplan eval: candidate ${evaluation.candidate.model} at ${evaluation.candidate.url}`,
    evaluatedAt: evaluation.finishedAt,
  };
}

async function withPrisma<Result>(
  dependencies: EvalCommandDependencies,
  work: (prisma: PrismaClient) => Promise<Result>,
): Promise<Result> {
  if (dependencies.prisma) return work(dependencies.prisma);
  return withDatabase((database) => work(database.prisma));
}

function parseEvalArguments(args: string[]) {
  const { values, positionals } = parseCommandArgs({
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
      store: { type: 'boolean', default: false },
      variant: { type: 'string' },
      path: { type: 'string' },
      'with-retrieval': { type: 'boolean', default: false },
      'allow-partial': { type: 'boolean', default: false },
    },
  });
  if (values.store && values.variant === undefined)
    throw new UsageError('--store needs --variant SLUG (the model variant the candidate serves)');
  if (!values.store && (values.variant !== undefined || values.path !== undefined))
    throw new UsageError('--variant and --path label a stored evaluation: add --store');
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
    allowPartial: values['allow-partial'],
    store:
      values.store && values.variant !== undefined
        ? {
            variantSlug: values.variant,
            pathSlug: values.path ?? null,
            withRetrieval: values['with-retrieval'],
          }
        : null,
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
