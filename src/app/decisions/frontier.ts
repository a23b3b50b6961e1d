import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import { type Frontier, frontier } from '../../domain/engine/frontier';
import type { Workload } from '../../domain/engine/workload';
import type { PrismaClient } from '../../generated/prisma/client';
import { workloadOrThrow } from './answer';
import { cachedEvidence } from './evidence-cache';
import { loadEvidenceSnapshot } from './load-evidence';

/**
 * $/1M goodput tokens per path for a workload, from the evidence known now (cached like every
 * answer) or at `asOf`: the one path GraphQL `frontier`, the frontier chart and the CLI share.
 */
export async function answerFrontier(
  prisma: PrismaClient,
  workloadInput: unknown,
  asOf?: Date,
): Promise<{ workload: Workload; evidence: EvidenceSnapshot; frontier: Frontier }> {
  const evidence = asOf ? await loadEvidenceSnapshot(prisma, asOf) : await cachedEvidence(prisma);
  const workload = workloadOrThrow(workloadInput, evidence);
  return { workload, evidence, frontier: frontier(workload, evidence) };
}
