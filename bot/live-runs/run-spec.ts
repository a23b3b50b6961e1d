import type { SloTargets } from '../../src/domain/slo-search';
import type { BenchmarkRun } from '../floorplan-api';

/** Readings of a run's typed spec (generated from schema/operations/bot/fragments.graphql). */

type RunSpec = BenchmarkRun['spec'];

/** A concurrency profile's levels; empty for the other profiles. */
export function concurrencyLevelsOf(spec: RunSpec): number[] {
  return spec.profile.__typename === 'ConcurrencyProfile' ? spec.profile.levels : [];
}

/** The profile's kind in words: `concurrency`, `rate`, `sweep`, `slo search`. */
export function profileWordOf(spec: RunSpec): string {
  switch (spec.profile.__typename) {
    case 'ConcurrencyProfile':
      return 'concurrency';
    case 'RateProfile':
      return 'rate';
    case 'SweepProfile':
      return 'sweep';
    case 'SloSearchProfile':
      return 'slo search';
  }
}

/** An SLO search's objectives (ms, the ones set) and highest level; null for other profiles. */
export function sloSearchOf(spec: RunSpec): { slos: SloTargets; maxConcurrency: number | null } | null {
  if (spec.profile.__typename !== 'SloSearchProfile') return null;
  const slos = Object.fromEntries(
    Object.entries(spec.profile.slos).filter(
      ([key, value]) => key !== '__typename' && typeof value === 'number',
    ),
  ) as SloTargets;
  return { slos, maxConcurrency: spec.profile.maxConcurrency };
}
