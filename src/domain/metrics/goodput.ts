import { percentile } from './statistics';

/** Service-level objectives for goodput, in milliseconds; an absent objective is not checked. */
export interface ServiceLevelObjectives {
  ttftMs?: number | undefined;
  tpotMs?: number | undefined;
  e2elMs?: number | undefined;
  /** The request's own p99 inter-token gap (an SLO search's ITL target; vLLM has no per-request ITL). */
  itlP99Ms?: number | undefined;
}

export interface GoodputInput {
  ttftMs: number;
  /** Null for single-token outputs, which vLLM counts as TPOT 0 for goodput. */
  tpotMs: number | null;
  e2elMs: number;
  interTokenLatenciesMs?: readonly number[] | undefined;
}

export function hasAnyObjective(objectives: ServiceLevelObjectives | undefined): boolean {
  return (
    objectives !== undefined &&
    (objectives.ttftMs !== undefined ||
      objectives.tpotMs !== undefined ||
      objectives.e2elMs !== undefined ||
      objectives.itlP99Ms !== undefined)
  );
}

/** True when the request meets every given objective (at or under each limit, as vLLM compares). */
export function meetsObjectives(request: GoodputInput, objectives: ServiceLevelObjectives): boolean {
  if (objectives.ttftMs !== undefined && request.ttftMs > objectives.ttftMs) return false;
  if (objectives.tpotMs !== undefined && (request.tpotMs ?? 0) > objectives.tpotMs) return false;
  if (objectives.e2elMs !== undefined && request.e2elMs > objectives.e2elMs) return false;
  const gaps = request.interTokenLatenciesMs ?? [];
  if (objectives.itlP99Ms !== undefined && gaps.length > 0 && percentile(gaps, 99) > objectives.itlP99Ms)
    return false;
  return true;
}
