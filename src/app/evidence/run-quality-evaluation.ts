import { type ChatEndpoint, requestChatCompletionWithRetry } from '../../../clients/openai/chat-completions';
import { buildJudgeMessages, type JudgeVerdict, parseJudgeVerdict } from '../../domain/quality/judge-verdict';
import { type EvaluationQuestion, questionSetContentHash } from '../../domain/quality/question-set';

/**
 * Quality gate as the lab ran it: every question of a frozen set goes to the candidate model, each
 * answer to two judges (a cheap strict one and a frontier one), and an answer is accepted only where
 * both accept. Agreement between the judges is reported, and their disagreements listed for a human.
 */

export interface QualityEvaluationInput {
  questions: readonly EvaluationQuestion[];
  candidate: ChatEndpoint;
  judges: readonly [ChatEndpoint, ChatEndpoint];
  concurrency: number;
  /** Per request; judges and candidate alike. */
  timeoutMs?: number;
  /** Attempts per request for network errors, 429 and 5xx. */
  attempts?: number;
  retryDelayMs?: number;
  candidateTemperature?: number;
  candidateMaxTokens?: number;
  systemPrompt?: string;
  /** The clock, injected: the domain reads no clock of its own (tests pass a fixed one). */
  now: () => Date;
}

export interface QuestionOutcome {
  id: string;
  question: string;
  answer: string | null;
  /** Why there is no answer (the candidate failed); such a question counts as not accepted. */
  candidateError: string | null;
  /** One per judge, in the judges' order; empty when there was no answer to judge. */
  verdicts: JudgeVerdict[];
  accepted: boolean;
  /** Whether both judges reached the same decision; null when nothing was judged. */
  judgesAgree: boolean | null;
}

export interface QualityEvaluation {
  questionSetHash: string;
  candidate: { url: string; model: string };
  judges: { url: string; model: string }[];
  total: number;
  accepted: number;
  acceptedRate: number;
  /** Questions both judges saw. */
  judged: number;
  /** Share of judged questions where both judges decided the same; null when none was judged. */
  judgeAgreementRate: number | null;
  disagreements: QuestionOutcome[];
  candidateFailures: number;
  outcomes: QuestionOutcome[];
  startedAt: Date;
  finishedAt: Date;
}

const DEFAULTS = { timeoutMs: 120_000, attempts: 2, retryDelayMs: 500, candidateTemperature: 0 };

export async function runQualityEvaluation(input: QualityEvaluationInput): Promise<QualityEvaluation> {
  if (!(Number.isInteger(input.concurrency) && input.concurrency >= 1)) {
    throw new RangeError(`concurrency must be a positive integer, got ${input.concurrency}`);
  }
  if (input.questions.length === 0) throw new RangeError('no questions to evaluate');
  const startedAt = input.now();
  const outcomes = await mapWithConcurrency(input.questions, input.concurrency, (question) =>
    evaluateQuestion(question, input),
  );
  const accepted = outcomes.filter((outcome) => outcome.accepted).length;
  const judgedOutcomes = outcomes.filter((outcome) => outcome.judgesAgree !== null);
  const agreed = judgedOutcomes.filter((outcome) => outcome.judgesAgree === true).length;
  return {
    questionSetHash: questionSetContentHash(input.questions),
    candidate: { url: input.candidate.url, model: input.candidate.model },
    judges: input.judges.map((judge) => ({ url: judge.url, model: judge.model })),
    total: outcomes.length,
    accepted,
    acceptedRate: accepted / outcomes.length,
    judged: judgedOutcomes.length,
    judgeAgreementRate: judgedOutcomes.length === 0 ? null : agreed / judgedOutcomes.length,
    disagreements: judgedOutcomes.filter((outcome) => outcome.judgesAgree === false),
    candidateFailures: outcomes.filter((outcome) => outcome.candidateError !== null).length,
    outcomes,
    startedAt,
    finishedAt: input.now(),
  };
}

/**
 * For the caller that keeps evaluations (the API stores them against a model variant): runs the
 * evaluation, hands it to `store`, and returns both. Nothing is stored when the run throws.
 */
export async function runAndStoreQualityEvaluation<Stored>(
  input: QualityEvaluationInput,
  store: (evaluation: QualityEvaluation) => Promise<Stored>,
): Promise<{ evaluation: QualityEvaluation; stored: Stored }> {
  const evaluation = await runQualityEvaluation(input);
  return { evaluation, stored: await store(evaluation) };
}

async function evaluateQuestion(
  question: EvaluationQuestion,
  input: QualityEvaluationInput,
): Promise<QuestionOutcome> {
  const requestOptions = {
    timeoutMs: input.timeoutMs ?? DEFAULTS.timeoutMs,
    attempts: input.attempts ?? DEFAULTS.attempts,
    retryDelayMs: input.retryDelayMs ?? DEFAULTS.retryDelayMs,
  };
  let answer: string;
  try {
    answer = await requestChatCompletionWithRetry(
      input.candidate,
      [
        ...(input.systemPrompt === undefined
          ? []
          : [{ role: 'system' as const, content: input.systemPrompt }]),
        { role: 'user', content: question.question },
      ],
      {
        ...requestOptions,
        temperature: input.candidateTemperature ?? DEFAULTS.candidateTemperature,
        ...(input.candidateMaxTokens === undefined ? {} : { maxTokens: input.candidateMaxTokens }),
      },
    );
  } catch (error) {
    return {
      id: question.id,
      question: question.question,
      answer: null,
      candidateError: (error as Error).message,
      verdicts: [],
      accepted: false,
      judgesAgree: null,
    };
  }

  const judgeMessages = buildJudgeMessages(question, answer);
  const verdicts = await Promise.all(
    input.judges.map(async (judge): Promise<JudgeVerdict> => {
      try {
        const rawOutput = await requestChatCompletionWithRetry(judge, judgeMessages, {
          ...requestOptions,
          temperature: 0,
        });
        return parseJudgeVerdict(rawOutput);
      } catch (error) {
        return {
          decision: 'reject',
          reason: null,
          note: `judge request failed (${(error as Error).message}); counted as reject`,
          rawOutput: null,
        };
      }
    }),
  );
  const [first, second] = verdicts as [JudgeVerdict, JudgeVerdict];
  return {
    id: question.id,
    question: question.question,
    answer,
    candidateError: null,
    verdicts,
    accepted: first.decision === 'accept' && second.decision === 'accept',
    judgesAgree: first.decision === second.decision,
  };
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex;
      nextIndex += 1;
      results[index] = await work(items[index] as Item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
