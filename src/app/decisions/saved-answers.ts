import { NotFoundError } from '../../domain/errors';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * Saved decisions' stored answers, read once and kept parsed. A saved answer never changes (nothing
 * updates a Decision row; a new answer is a new decision or a watched decision's new version), so a
 * listing such as `savedDecisions` need not read ~45 kB of JSON per row and parse it on every
 * request: the rows are listed without their answers, and each answer comes from here. Answers
 * asked for in one pass of GraphQL's execution (a listing's rows) that are not kept yet are read
 * together, in one statement. The newest `MAX_KEPT` are kept, per database; callers must not modify
 * an answer.
 */
const MAX_KEPT = 256;

interface Kept {
  answers: Map<string, unknown>;
  /** Ids asked for in this pass that are not kept, read together when the pass ends. */
  batch: Map<string, { resolve: (answer: unknown) => void; reject: (error: unknown) => void }[]> | null;
}

const keptByDatabase = new WeakMap<PrismaClient, Kept>();

const reads = { statements: 0, answers: 0 };
/** How many statements read stored answers, and how many answers they read (for tests and benches). */
export function savedAnswerReads(): { statements: number; answers: number } {
  return { ...reads };
}

/** The stored answer of the saved decision `id`; rejects when there is no such decision. */
export function savedAnswer(prisma: PrismaClient, id: string): Promise<unknown> {
  let kept = keptByDatabase.get(prisma);
  if (!kept) {
    kept = { answers: new Map(), batch: null };
    keptByDatabase.set(prisma, kept);
  }
  const answer = kept.answers.get(id);
  if (answer !== undefined) {
    // Most recently used last: the first key is the one to let go.
    kept.answers.delete(id);
    kept.answers.set(id, answer);
    return Promise.resolve(answer);
  }
  const into = kept;
  return new Promise((resolve, reject) => {
    if (!into.batch) {
      into.batch = new Map();
      // After the resolvers GraphQL calls in this pass have all asked (a microtask runs after them).
      queueMicrotask(() => void readBatch(prisma, into));
    }
    const waiting = into.batch.get(id) ?? [];
    waiting.push({ resolve, reject });
    into.batch.set(id, waiting);
  });
}

async function readBatch(prisma: PrismaClient, kept: Kept): Promise<void> {
  const batch = kept.batch;
  kept.batch = null;
  if (!batch) return;
  try {
    const rows = await prisma.decision.findMany({
      where: { id: { in: [...batch.keys()] } },
      select: { id: true, answer: true },
    });
    reads.statements++;
    reads.answers += rows.length;
    const found = new Map(rows.map((row) => [row.id, row.answer as unknown]));
    for (const [id, waiting] of batch) {
      const answer = found.get(id);
      if (answer === undefined || answer === null) {
        const error = new NotFoundError(
          'saved decision',
          id,
          'It was listed, but gone when its answer was read.',
        );
        for (const { reject } of waiting) reject(error);
        continue;
      }
      kept.answers.set(id, answer);
      if (kept.answers.size > MAX_KEPT) {
        const oldest = kept.answers.keys().next().value;
        if (oldest !== undefined) kept.answers.delete(oldest);
      }
      for (const { resolve } of waiting) resolve(answer);
    }
  } catch (error) {
    for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
  }
}
