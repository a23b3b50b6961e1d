import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A frozen question set: JSONL, one `{id, question, reference?, rubric?}` per line. It is identified
 * by the sha256 of its canonical form, so an evaluation can prove which exact questions it used and
 * a set edited by one character is a different set.
 */

const questionSchema = z
  .object({
    id: z.string().trim().min(1),
    question: z.string().trim().min(1),
    reference: z.string().trim().min(1).optional(),
    rubric: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((question) => question.reference !== undefined || question.rubric !== undefined, {
    message: 'needs a reference answer or a rubric (or both)',
  });

export type EvaluationQuestion = z.output<typeof questionSchema>;

export interface QuestionSet {
  questions: EvaluationQuestion[];
  /** sha256 of the canonical set: questions sorted by id, keys in fixed order, one per line. */
  contentHash: string;
}

export class QuestionSetError extends Error {
  override readonly name = 'QuestionSetError';

  constructor(
    readonly sourceName: string,
    readonly lineNumber: number | null,
    readonly problem: string,
  ) {
    super(`${sourceName}${lineNumber === null ? '' : `:${lineNumber}`}: ${problem}`);
  }
}

export function parseQuestionSetJsonl(text: string, sourceName = 'question set'): QuestionSet {
  const questions: EvaluationQuestion[] = [];
  const lineOfId = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new QuestionSetError(sourceName, lineNumber, `not valid JSON (${(error as Error).message})`);
    }
    const outcome = questionSchema.safeParse(value);
    if (!outcome.success) {
      const issue = outcome.error.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
      throw new QuestionSetError(sourceName, lineNumber, `${field}${issue?.message ?? 'invalid question'}`);
    }
    const earlierLine = lineOfId.get(outcome.data.id);
    if (earlierLine !== undefined) {
      throw new QuestionSetError(
        sourceName,
        lineNumber,
        `duplicate id "${outcome.data.id}" (first on line ${earlierLine})`,
      );
    }
    lineOfId.set(outcome.data.id, lineNumber);
    questions.push(outcome.data);
  }
  if (questions.length === 0) throw new QuestionSetError(sourceName, null, 'contains no questions');
  return { questions, contentHash: questionSetContentHash(questions) };
}

/** Order-independent: the same questions in another line order are the same frozen set. */
export function questionSetContentHash(questions: readonly EvaluationQuestion[]): string {
  const canonicalLines = [...questions]
    .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
    .map((question) =>
      JSON.stringify([question.id, question.question, question.reference ?? null, question.rubric ?? null]),
    );
  return createHash('sha256').update(canonicalLines.join('\n')).digest('hex');
}
