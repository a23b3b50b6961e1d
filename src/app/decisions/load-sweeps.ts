import type { SloSweepEvidence } from '../../domain/engine/evidence';
import type { SweepLevel } from '../../domain/slo-search';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * The SLO sweeps known at `now`, as the engine reads them: each level's decode speed and TTFT come
 * from its stored result's columns (the same numbers every other answer cites), its verdict and
 * goodput from the sweep's level table.
 */
export async function loadSweepEvidence(prisma: PrismaClient, now: Date): Promise<SloSweepEvidence[]> {
  const sweeps = await prisma.sloSweep.findMany({
    where: { createdAt: { lte: now } },
    include: {
      box: { select: { slug: true } },
      variant: { select: { slug: true } },
      results: {
        select: { id: true, decodeTokensPerSecond: true, ttftP95Ms: true, outputTokensPerSecond: true },
      },
    },
    orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
  });
  return sweeps.map((sweep) => {
    const results = new Map(sweep.results.map((result) => [result.id, result]));
    const levels = (sweep.levels as unknown as SweepLevel[]).flatMap((level) => {
      const result = level.resultId ? results.get(level.resultId) : undefined;
      if (!result) return [];
      return [
        {
          resultId: result.id,
          concurrency: level.concurrency,
          meetsSlo: level.meetsSlo,
          stoppedEarly: level.stoppedEarly,
          failed: level.failed,
          decodeTokensPerSecondPerStream: result.decodeTokensPerSecond,
          ttftP95Ms: result.ttftP95Ms,
          outputTokensPerSecond: result.outputTokensPerSecond ?? level.outputThroughput,
          goodputOutputTokensPerSecond: level.goodputOutputTokensPerSecond,
        },
      ];
    });
    return {
      id: sweep.id,
      boxSlug: sweep.box.slug,
      variantSlug: sweep.variant.slug,
      serverConfiguration: sweep.serverConfiguration,
      slos: sweep.slos as SloSweepEvidence['slos'],
      maxConcurrencyAtSlo: sweep.maxConcurrencyAtSlo,
      levels,
      measuredAt: sweep.measuredAt.toISOString(),
    };
  });
}
