import type Decimal from 'decimal.js';
import { ValidationError } from '../../api/graphql/errors';
import { type Decision, decide } from '../../domain/engine/decide';
import type { DecideOptions } from '../../domain/engine/evaluate';
import { parseWorkload, type Workload } from '../../domain/engine/workload';
import type { PrismaClient } from '../../generated/prisma/client';
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

export type DecisionAnswer = Jsonified<Decision>;

export function toAnswer(decision: Decision): DecisionAnswer {
  return JSON.parse(JSON.stringify(decision)) as DecisionAnswer;
}

/** Validates an untrusted workload against the evidence, with field-named errors. */
export function workloadOrThrow(
  input: unknown,
  evidence: Awaited<ReturnType<typeof loadEvidenceSnapshot>>,
): Workload {
  const parsed = parseWorkload(input, evidence);
  if (!parsed.ok) {
    throw new ValidationError(
      parsed.issues.map((issue) => ({ path: `workload.${issue.field}`, message: issue.message })),
      'Invalid workload',
    );
  }
  return parsed.workload;
}

/** Loads the current evidence and answers: the one path GraphQL, the CLI and saved decisions share. */
export async function answerWorkload(
  prisma: PrismaClient,
  workloadInput: unknown,
  options: DecideOptions,
  now: Date = new Date(),
): Promise<{ workload: Workload; decision: Decision }> {
  const evidence = await loadEvidenceSnapshot(prisma, now);
  const workload = workloadOrThrow(workloadInput, evidence);
  return { workload, decision: decide(workload, evidence, options) };
}
