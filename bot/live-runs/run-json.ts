import { z } from 'zod';

/**
 * Readers for the run fields the schema still types as `JSON` (a run's spec and heartbeat
 * progress). They read only what the bot shows and tolerate the
 * rest: a field the bot cannot read shows as "unknown", it does not fail the message.
 */

/** What the run was asked to measure, read from its spec. */
export interface RunSpecSummary {
  profileKind: string;
  concurrency: number[];
  numPrompts: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** An SLO search's objectives (ms) and highest level, as the run spec states them. */
  sloSearch: { slos: Record<string, number>; maxConcurrency: number | null } | null;
}

/** A runner heartbeat's progress. */
export interface RunProgress {
  levelIndex: number;
  levelCount: number;
  phase: string;
  completed: number;
  failed: number;
  total: number;
}

const specSchema = z.looseObject({
  profile: z
    .looseObject({
      kind: z.string(),
      levels: z.array(z.number()).optional(),
      slos: z.record(z.string(), z.number()).optional(),
      maxConcurrency: z.number().optional(),
    })
    .optional(),
  numPrompts: z.number().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
});

export function readRunSpec(value: unknown): RunSpecSummary {
  const parsed = specSchema.safeParse(value);
  const spec = parsed.success ? parsed.data : {};
  return {
    profileKind: spec.profile?.kind ?? 'unknown',
    concurrency: spec.profile?.kind === 'concurrency' ? (spec.profile.levels ?? []) : [],
    numPrompts: spec.numPrompts ?? null,
    inputTokens: spec.inputTokens ?? null,
    outputTokens: spec.outputTokens ?? null,
    sloSearch:
      spec.profile?.kind === 'slo-search'
        ? { slos: spec.profile.slos ?? {}, maxConcurrency: spec.profile.maxConcurrency ?? null }
        : null,
  };
}

const progressSchema = z.looseObject({
  levelIndex: z.number(),
  levelCount: z.number(),
  phase: z.string(),
  completed: z.number(),
  failed: z.number().default(0),
  total: z.number(),
});

export function readRunProgress(value: unknown): RunProgress | null {
  const parsed = progressSchema.safeParse(value);
  if (!parsed.success) return null;
  const { levelIndex, levelCount, phase, completed, failed, total } = parsed.data;
  return { levelIndex, levelCount, phase, completed, failed, total };
}
