import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/**
 * The cost details that used to be untyped JSON (PathAnswer.windows, CostCurve.steps) are typed
 * objects: a client selects their fields, and their numbers agree with each other and with the
 * rest of the answer.
 */

const repository = path.resolve(import.meta.dirname, '..', '..', '..');
const { name: _name, ...workload } = JSON.parse(
  readFileSync(path.join(repository, 'seeds', 'workloads', 'lab-retrieval.json'), 'utf8'),
);

const DECIDE = /* GraphQL */ `
  query Decide($workload: WorkloadInput!) {
    decide(workload: $workload) {
      paths {
        pathKind
        windows { reading billedWindowsPerMonth billedCopyHoursPerMonth warmHoursPerMonth coldStartsPerMonth }
      }
    }
  }
`;
const CURVE = /* GraphQL */ `
  query Curve($workload: WorkloadInput!) {
    costCurve(workload: $workload, paths: ["dgx-spark"], from: 1000, to: 50000000, steps: 200) {
      optionId
      points { requestsPerMonth units }
      steps { requestsPerMonth fromUnits toUnits }
    }
  }
`;

interface Windows {
  reading: string;
  billedWindowsPerMonth: number;
  billedCopyHoursPerMonth: number;
  warmHoursPerMonth: number;
  coldStartsPerMonth: number;
}

describe('typed cost details', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('PathAnswer.windows: only window-billed paths have them, billed hours are windows x 5 minutes', async () => {
    const { body } = await api.run<{ decide: { paths: { pathKind: string; windows: Windows | null }[] } }>(
      DECIDE,
      { workload },
    );
    expect(body.errors).toBeUndefined();
    const paths = body.data?.decide.paths ?? [];
    const windowed = paths.filter((entry) => entry.windows !== null);
    expect(windowed.length).toBeGreaterThan(0);
    for (const entry of paths) {
      expect(entry.windows !== null).toBe(entry.pathKind === 'CUSTOM_MODEL_IMPORT');
    }
    for (const { windows } of windowed) {
      if (!windows) continue;
      expect(windows.reading).toBe('CLOCK_ALIGNED');
      expect(windows.billedCopyHoursPerMonth).toBeCloseTo((windows.billedWindowsPerMonth * 5) / 60, 9);
      // A billed window holds warm time, and warm time is never more than what is billed.
      expect(windows.warmHoursPerMonth).toBeGreaterThan(0);
      expect(windows.warmHoursPerMonth).toBeLessThanOrEqual(windows.billedCopyHoursPerMonth + 1e-9);
      expect(windows.coldStartsPerMonth).toBeGreaterThan(0);
    }
  });

  it('CostCurve.steps: each step adds units exactly where the curve points change units', async () => {
    const { body } = await api.run<{
      costCurve: {
        points: { requestsPerMonth: number; units: number }[];
        steps: { requestsPerMonth: number; fromUnits: number; toUnits: number }[];
      }[];
    }>(CURVE, { workload });
    expect(body.errors).toBeUndefined();
    const [curve] = body.data?.costCurve ?? [];
    expect(curve).toBeDefined();
    if (!curve) return;
    expect(curve.steps.length).toBeGreaterThan(0);
    for (const step of curve.steps) {
      expect(step.toUnits).toBeGreaterThan(step.fromUnits);
      const before = curve.points.filter((point) => point.requestsPerMonth < step.requestsPerMonth).at(-1);
      const after = curve.points.find((point) => point.requestsPerMonth >= step.requestsPerMonth);
      if (before) expect(before.units).toBeLessThanOrEqual(step.fromUnits);
      if (after) expect(after.units).toBeGreaterThanOrEqual(step.toUnits);
    }
  });
});
