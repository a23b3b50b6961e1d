import type Decimal from 'decimal.js';
import { type Decision, decide } from '../../domain/engine/decide';
import type { DecideOptions } from '../../domain/engine/evaluate';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import { parseWorkload, type Workload } from '../../domain/engine/workload';
import { ValidationError } from '../../domain/errors';
import { canonicalJson } from '../../domain/imports/content-fingerprint';
import type { PrismaClient } from '../../generated/prisma/client';
import { cachedEvidence, keptPerSnapshot } from './evidence-cache';
import { loadEvidenceSnapshot } from './load-evidence';

/**
 * A decision in its stored, JSON form: decimal.js serializes to its exact string, so a saved answer
 * keeps every amount exactly as it was computed, with the evidence ids it cited.
 */
export type Jsonified<T> = T extends Decimal
  ? string
  : T extends readonly (infer Item)[]
    ? Jsonified<Item>[]
    : T extends object
      ? { [Key in keyof T]: Jsonified<T[Key]> }
      : T;

/**
 * The analyses a stored answer (a saved decision, a watched decision's versions) keeps: all that the
 * Decision type can show. Cost curves are not kept: nothing reads them back (the cost chart and
 * `costCurve` draw them afresh), and at ~110 kB they were three quarters of every stored answer,
 * read whole by every `savedDecisions` listing.
 */
export const STORED_ANALYSES = { breakEvens: true, sensitivity: true, curves: false } as const;

/** A decision as it is stored (saved decisions, `--json`): every amount its exact string. */
export type StoredDecision = Jsonified<Decision>;

/**
 * A decision as GraphQL reads it: live from the engine (decimal.js amounts) or stored (strings).
 * Amounts become strings only where they are shown, so a live answer is never round-tripped.
 */
export type Live<T> = T extends Decimal
  ? Decimal | string
  : T extends readonly (infer Item)[]
    ? Live<Item>[]
    : T extends object
      ? { [Key in keyof T]: Live<T[Key]> }
      : T;

export type DecisionAnswer = Live<Decision>;

/** The stored form: only for what is written or printed whole (a saved decision, `--json`). */
export function toAnswer(decision: Decision): StoredDecision {
  return JSON.parse(JSON.stringify(decision)) as StoredDecision;
}

/** Validates an untrusted workload against the evidence, with field-named errors. */
export function workloadOrThrow(input: unknown, evidence: EvidenceSnapshot): Workload {
  const parsed = parseWorkload(input, evidence);
  if (!parsed.ok) {
    throw new ValidationError(
      parsed.issues.map((issue) => ({ path: `workload.${issue.field}`, message: issue.message })),
      'Invalid workload',
    );
  }
  return parsed.workload;
}

/**
 * The answers given from one snapshot of the current evidence, by question (the workload as asked
 * and the options). `decide` is pure: the same snapshot and question give the same answer, so a
 * repeated question (a dashboard polling, the bot asking again) is answered without deciding again.
 * Up to 128 questions per snapshot; callers must not modify a decision.
 */
const rememberedAnswers = keptPerSnapshot<Decision>(128);

/** How many answers were decided, not remembered (for tests and benches). */
let decidedCount = 0;
export function answersDecided(): number {
  return decidedCount;
}

/**
 * Answers from the evidence and decides: the one path GraphQL, the CLI and saved decisions share.
 * Without `asOf`, the current evidence (cached between answers where the process enabled it, see
 * evidence-cache.ts) and an answer already given from it to the same question; with it, the
 * evidence known at that moment, read afresh and decided afresh.
 */
export async function answerWorkload(
  prisma: PrismaClient,
  workloadInput: unknown,
  options: DecideOptions,
  asOf?: Date,
): Promise<{ workload: Workload; decision: Decision }> {
  const evidence = asOf ? await loadEvidenceSnapshot(prisma, asOf) : await cachedEvidence(prisma);
  const workload = workloadOrThrow(workloadInput, evidence);
  // A snapshot read for `asOf` is this call's alone: nothing to remember it by.
  const question = asOf ? null : canonicalJson({ workload: workloadInput, options });
  const remembered = question === null ? undefined : rememberedAnswers.get(evidence, question);
  if (remembered) return { workload, decision: remembered };
  decidedCount++;
  const decision = decide(workload, evidence, options);
  if (question !== null) rememberedAnswers.set(evidence, question, decision);
  return { workload, decision };
}
