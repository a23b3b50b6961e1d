/** Service-level objectives for goodput, in milliseconds; an absent objective is not checked. */
export interface ServiceLevelObjectives {
  ttftMs?: number | undefined;
  tpotMs?: number | undefined;
  e2elMs?: number | undefined;
}

export interface GoodputInput {
  ttftMs: number;
  /** Null for single-token outputs, which vLLM counts as TPOT 0 for goodput. */
  tpotMs: number | null;
  e2elMs: number;
}

export function hasAnyObjective(objectives: ServiceLevelObjectives | undefined): boolean {
  return (
    objectives !== undefined &&
    (objectives.ttftMs !== undefined || objectives.tpotMs !== undefined || objectives.e2elMs !== undefined)
  );
}

/** True when the request meets every given objective (at or under each limit, as vLLM compares). */
export function meetsObjectives(request: GoodputInput, objectives: ServiceLevelObjectives): boolean {
  if (objectives.ttftMs !== undefined && request.ttftMs > objectives.ttftMs) return false;
  if (objectives.tpotMs !== undefined && (request.tpotMs ?? 0) > objectives.tpotMs) return false;
  if (objectives.e2elMs !== undefined && request.e2elMs > objectives.e2elMs) return false;
  return true;
}
