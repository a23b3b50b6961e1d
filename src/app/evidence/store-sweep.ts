import {
  levelMeetsSlos,
  replayPhases,
  type SearchSettings,
  type SloTargets,
  type SweepLevelSummary,
  sweepLevelOf,
  sweepOutcome,
} from '../../domain/slo-search';
import type { Prisma, SloSweep } from '../../generated/prisma/client';
import { recordEvidenceChange } from '../decisions/watch';

export interface StoreSweepInput {
  runId: string;
  boxId: string;
  variantId: string;
  serverConfiguration: string | null;
  slos: SloTargets;
  settings: SearchSettings;
  /** The sweep's levels in the order measured, each with its stored result's id. */
  levels: { resultId: string; summary: SweepLevelSummary }[];
  measuredAt: Date;
}

/**
 * Stores one SLO sweep: its answer is recomputed here from the level summaries (the same pure code
 * the runner planned with), never taken from the runner's word, and each level's result is linked
 * to it. Runs inside the caller's transaction.
 */
export async function storeSloSweep(tx: Prisma.TransactionClient, input: StoreSweepInput): Promise<SloSweep> {
  const verdicts = input.levels.map(({ summary }) => ({
    concurrency: summary.profile.maxConcurrency ?? 0,
    meetsSlo: levelMeetsSlos(summary, input.slos),
  }));
  const phases = replayPhases(verdicts, input.settings);
  const levels = input.levels.map(({ resultId, summary }, index) => ({
    ...sweepLevelOf(summary, input.slos, phases[index] ?? 'CLIMB'),
    resultId,
  }));
  const outcome = sweepOutcome(levels, input.slos, input.settings);
  const sweep = await tx.sloSweep.create({
    data: {
      runId: input.runId,
      boxId: input.boxId,
      variantId: input.variantId,
      serverConfiguration: input.serverConfiguration,
      slos: toJson(input.slos),
      endReason: outcome.endReason,
      maxConcurrencyAtSlo: outcome.maxConcurrencyAtSlo,
      firstMissConcurrency: outcome.firstMissConcurrency,
      goodputRequestsPerSecond: finiteOrNull(outcome.goodputRequestsPerSecond),
      goodputOutputTokensPerSecond: finiteOrNull(outcome.goodputOutputTokensPerSecond),
      levels: toJson(levels),
      summary: outcome.summary,
      measuredAt: input.measuredAt,
    },
  });
  await tx.benchmarkResult.updateMany({
    where: { id: { in: input.levels.map((level) => level.resultId) } },
    data: { sloSweepId: sweep.id },
  });
  await recordEvidenceChange(tx, {
    kind: 'SLO_SWEEP',
    subjectId: sweep.id,
    summary: `SLO sweep ${sweep.id}: ${outcome.summary}`,
  });
  return sweep;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(value, (_key, entry: unknown) =>
      typeof entry === 'number' && !Number.isFinite(entry) ? null : entry,
    ),
  ) as Prisma.InputJsonValue;
}
