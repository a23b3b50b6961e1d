import { randomBytes } from 'node:crypto';
import type Decimal from 'decimal.js';
import type { QualityEvaluation as EvaluationRun } from '../../app/evidence/run-quality-evaluation';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { EvaluationQuestion } from '../../domain/quality/question-set';
import type {
  ModelVariant,
  Prisma,
  QualityEvaluation,
  QuestionSet,
  ServingPath,
} from '../../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { recordEvidenceChange } from '../decisions/watch';
import { isUniqueViolation } from '../unique-violation';
import { unknownSlug } from './import-results';

/** How the evaluation names its question set: an existing one, or a new one described in full. */
export type QuestionSetReference =
  | { kind: 'existing'; contentHash?: string | null; slug?: string | null }
  | {
      kind: 'frozen';
      contentHash: string;
      /** Used only when no set with this hash exists yet. */
      slug: string;
      name: string;
      questionCount: number;
      questions?: readonly EvaluationQuestion[] | null;
    };

export interface QualityEvaluationRecord {
  variantSlug: string;
  pathSlug?: string | null;
  questionSet: QuestionSetReference;
  withRetrieval: boolean;
  judges: string[];
  accepted: number;
  total: number;
  /** Share of judged questions where the judges agreed, 0..1; null when not known. */
  judgeAgreement: number | Decimal | null;
  disagreements: readonly unknown[];
  source: string;
  evaluatedAt: Date;
  slug?: string | null;
}

class QuestionSetNotFoundError extends NotFoundError {
  override readonly name = 'QuestionSetNotFoundError';
  constructor(readonly reference: string) {
    super(
      'question set',
      reference,
      undefined,
      `No question set ${reference}. Evaluations compare only on the same frozen set: record it first ` +
        '(`floorplan eval --store` with its JSONL creates it), or give its contentHash, name and questionCount.',
    );
  }
}

/** An evaluation that contradicts itself or its question set; the message says which field. */
class EvaluationMismatchError extends ValidationError {
  override readonly name = 'EvaluationMismatchError';
  constructor(message: string) {
    super([{ path: 'input', message }]);
    this.message = message;
  }
}

export interface EvaluationTarget {
  variant: ModelVariant;
  path: ServingPath | null;
}

/** Resolves the variant and path first, so a misspelt slug fails before any judge is paid. */
export async function resolveEvaluationTarget(
  tx: Prisma.TransactionClient,
  slugs: { variantSlug: string; pathSlug?: string | null },
): Promise<EvaluationTarget> {
  const variant = await tx.modelVariant.findUnique({ where: { slug: slugs.variantSlug } });
  if (!variant) throw await unknownSlug(tx, 'model variant', slugs.variantSlug);
  if (!slugs.pathSlug) return { variant, path: null };
  const path = await tx.servingPath.findUnique({ where: { slug: slugs.pathSlug } });
  if (!path) throw await unknownSlug(tx, 'serving path', slugs.pathSlug);
  return { variant, path };
}

/**
 * Stores one quality evaluation: the question set found (or created) by content hash, so two
 * evaluations are comparable exactly when they point at the same set row. Audited.
 */
export async function storeQualityEvaluation(
  tx: Prisma.TransactionClient,
  record: QualityEvaluationRecord,
  actor: string,
): Promise<QualityEvaluation> {
  if (record.judges.length < 1) throw new EvaluationMismatchError('at least one judge is required');
  if (!(record.total >= 1 && record.accepted >= 0 && record.accepted <= record.total)) {
    throw new EvaluationMismatchError(
      `accepted (${record.accepted}) must be between 0 and total (${record.total}), and total at least 1`,
    );
  }
  const { variant, path } = await resolveEvaluationTarget(tx, record);
  const questionSet = await findOrCreateQuestionSet(tx, record.questionSet);
  if (record.total > questionSet.questionCount) {
    throw new EvaluationMismatchError(
      `total (${record.total}) is more than the ${questionSet.questionCount} questions of set "${questionSet.slug}"`,
    );
  }
  const created = await tx.qualityEvaluation
    .create({
      data: {
        slug: record.slug ?? evaluationSlugOf(variant.slug, questionSet.contentHash, record.evaluatedAt),
        variantId: variant.id,
        questionSetId: questionSet.id,
        pathId: path?.id ?? null,
        withRetrieval: record.withRetrieval,
        judges: record.judges,
        accepted: record.accepted,
        total: record.total,
        judgeAgreement: record.judgeAgreement === null ? null : roundedAgreement(record.judgeAgreement),
        disagreements: JSON.parse(JSON.stringify(record.disagreements)) as Prisma.InputJsonArray,
        source: record.source,
        evaluatedAt: record.evaluatedAt,
      },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new ConflictError('A quality evaluation with this slug already exists.');
      throw error;
    });
  await recordAudit(tx, {
    actor,
    action: 'quality-evaluation.record',
    entityType: 'QualityEvaluation',
    entityId: created.id,
    after: {
      slug: created.slug,
      variant: variant.slug,
      path: path?.slug ?? null,
      questionSet: questionSet.slug,
      questionSetHash: questionSet.contentHash,
      accepted: created.accepted,
      total: created.total,
    },
  });
  await recordEvidenceChange(tx, {
    kind: 'QUALITY_EVALUATION',
    subjectId: created.id,
    summary: `quality evaluation ${created.slug}: ${created.accepted} of ${created.total} accepted (${variant.slug})`,
  });
  return created;
}

async function findOrCreateQuestionSet(
  tx: Prisma.TransactionClient,
  reference: QuestionSetReference,
): Promise<QuestionSet> {
  if (reference.kind === 'existing') {
    const found = reference.contentHash
      ? await tx.questionSet.findUnique({ where: { contentHash: reference.contentHash } })
      : reference.slug
        ? await tx.questionSet.findUnique({ where: { slug: reference.slug } })
        : null;
    if (!found) {
      throw new QuestionSetNotFoundError(
        reference.contentHash ? `with hash ${reference.contentHash}` : `"${reference.slug ?? ''}"`,
      );
    }
    if (reference.slug && reference.contentHash && found.slug !== reference.slug) {
      throw new EvaluationMismatchError(
        `question set hash ${reference.contentHash} belongs to set "${found.slug}", not "${reference.slug}"`,
      );
    }
    return found;
  }
  const existing = await tx.questionSet.findUnique({ where: { contentHash: reference.contentHash } });
  if (existing) {
    if (existing.questionCount !== reference.questionCount) {
      throw new EvaluationMismatchError(
        `question set ${reference.contentHash} is stored with ${existing.questionCount} questions, not ${reference.questionCount}`,
      );
    }
    return existing;
  }
  const slugTaken = await tx.questionSet.findUnique({ where: { slug: reference.slug } });
  return tx.questionSet.create({
    data: {
      // Another set already has this slug (an edited version of the same file): keep both, apart.
      slug: slugTaken ? `${reference.slug}-${reference.contentHash.slice(0, 8)}` : reference.slug,
      name: reference.name,
      contentHash: reference.contentHash,
      questionCount: reference.questionCount,
      ...(reference.questions
        ? { questions: JSON.parse(JSON.stringify(reference.questions)) as Prisma.InputJsonArray }
        : {}),
    },
  });
}

/** The stored shape of a run's outcome: what a reviewer needs to look at each disagreement. */
export function disagreementsOf(evaluation: EvaluationRun): unknown[] {
  return evaluation.disagreements.map((outcome) => ({
    id: outcome.id,
    question: outcome.question,
    answer: outcome.answer,
    verdicts: outcome.verdicts.map((verdict, index) => ({
      judge: evaluation.judges[index]?.model ?? `judge ${index + 1}`,
      decision: verdict.decision,
      reason: verdict.reason,
    })),
  }));
}

function roundedAgreement(agreement: number | Decimal): string {
  const value = Number(agreement);
  if (!(value >= 0 && value <= 1))
    throw new EvaluationMismatchError('judgeAgreement must be between 0 and 1');
  // The column keeps five decimals; round here so the stored value is the one reported.
  return value.toFixed(5);
}

function evaluationSlugOf(variantSlug: string, contentHash: string, evaluatedAt: Date): string {
  const stamp = evaluatedAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${variantSlug}-${contentHash.replace(/[^a-z0-9]/gi, '').slice(0, 8)}-${stamp}-${randomBytes(2).toString('hex')}`;
}
