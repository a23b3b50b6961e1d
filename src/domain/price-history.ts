/**
 * Which value of a price component applies at a moment, from its dated history.
 *
 * Two dates matter: `effectiveFrom` (the day the price applies from) and `recordedAt` (when
 * floorplan learned it). The value at `at` is the one with the latest effective date among those
 * already effective *and* already recorded by `at` (ties: the later recording wins, so a correction
 * of the same day replaces the earlier figure). Filtering on `recordedAt` is what lets a saved
 * decision be recomputed exactly after later edits and imports: nothing recorded after it counts.
 *
 * A component whose only values are effective after `at` (a floorplan assumption dated later than
 * the question) falls back to its first value from the seed files or the migration, so asking about
 * an earlier date does not silently drop a line from every cost; values added by people or imports
 * never fall back, so they cannot leak into an earlier answer.
 */
export interface DatedValue {
  id: string;
  effectiveFrom: Date;
  recordedAt: Date;
  recordedBy: string;
}

/** recordedBy of values that come from the seed files and from the migration that began history. */
export const SEED_RECORDER = 'seed';
export const MIGRATION_RECORDER = 'migration: value before history';

const isBaseline = (value: DatedValue) =>
  value.recordedBy === SEED_RECORDER || value.recordedBy === MIGRATION_RECORDER;

function later(a: DatedValue, b: DatedValue): number {
  return (
    a.effectiveFrom.getTime() - b.effectiveFrom.getTime() ||
    a.recordedAt.getTime() - b.recordedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function valueAt<Value extends DatedValue>(values: readonly Value[], at: Date): Value | null {
  const time = at.getTime();
  let best: Value | null = null;
  for (const value of values) {
    if (value.recordedAt.getTime() > time || value.effectiveFrom.getTime() > time) continue;
    if (!best || later(value, best) > 0) best = value;
  }
  if (best) return best;
  let first: Value | null = null;
  for (const value of values) {
    if (!isBaseline(value)) continue;
    if (!first || later(value, first) < 0) first = value;
  }
  return first;
}
