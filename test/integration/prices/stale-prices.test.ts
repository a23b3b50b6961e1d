import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const STALE = /* GraphQL */ `
  query Stale($days: Int) {
    stalePrices(olderThanDays: $days) {
      olderThanDays
      decisions {
        decisionId watched channels recommendation
        prices { slug effectiveFrom ageDays price { amount currency } refresh { kind mapping format fetchFrom command catalogEdit } }
      }
      notCited { slug }
      prices { slug effectiveFrom }
    }
  }
`;

interface Refresh {
  kind: 'IMPORT' | 'EDIT';
  mapping: string | null;
  format: string | null;
  fetchFrom: string | null;
  command: string;
  catalogEdit: string | null;
}

interface StaleData {
  stalePrices: {
    olderThanDays: number;
    decisions: {
      decisionId: string;
      watched: boolean;
      channels: string[];
      recommendation: string | null;
      prices: { slug: string; effectiveFrom: string; ageDays: number; refresh: Refresh[] }[];
    }[];
    notCited: { slug: string }[];
    prices: { slug: string; effectiveFrom: string }[];
  };
}

const DAY_MS = 86_400_000;

describe('stalePrices', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('groups the old prices by the watched decision that costs with them, each with the import or edit that refreshes it; applying the import clears it', async () => {
    const { name: _title, ...workload } = JSON.parse(
      await readFile('seeds/workloads/base-model-commodity.json', 'utf8'),
    ) as Record<string, unknown>;
    const saved = await api.run<{ saveDecision: { id: string } }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
      { w: workload },
      { as: 'VIEWER' },
    );
    const id = saved.body.data?.saveDecision.id ?? '';
    expect(
      (await api.run(`mutation { watchDecision(id: "${id}", channel: "C0STALE") { id } }`)).body.errors,
    ).toBeUndefined();

    const first = await api.run<StaleData>(STALE, {}, { as: 'VIEWER' });
    expect(first.body.errors).toBeUndefined();
    const report = first.body.data?.stalePrices;
    expect(report?.olderThanDays).toBe(180);
    const [watched] = report?.decisions ?? [];
    expect(watched).toMatchObject({ decisionId: id, watched: true, channels: ['C0STALE'] });
    for (const price of watched?.prices ?? []) {
      const age = Math.floor((Date.now() - Date.parse(price.effectiveFrom)) / DAY_MS);
      expect(price.ageDays, price.slug).toBeGreaterThan(180);
      expect(Math.abs(price.ageDays - age), price.slug).toBeLessThanOrEqual(1);
    }
    const tokens = watched?.prices.find((price) => price.slug === 'bedrock-on-demand-8b-output');
    expect(tokens?.refresh.map((refresh) => refresh.kind)).toEqual(['IMPORT', 'EDIT']);
    expect(tokens?.refresh[0]).toMatchObject({
      mapping: 'seeds/price-mappings/litellm.mapping.yaml',
      format: 'litellm',
      fetchFrom: expect.stringContaining('github.com/BerriAI/litellm'),
      command:
        'npx floorplan prices import model_prices_and_context_window.json --mapping seeds/price-mappings/litellm.mapping.yaml --dry-run',
    });
    expect(tokens?.refresh[1]?.catalogEdit).toContain('  - slug: bedrock-on-demand-8b-output\n');
    // A price no saved decision costs with is listed apart, never dropped.
    const listed = new Set([
      ...(report?.decisions ?? []).flatMap((decision) => decision.prices.map((price) => price.slug)),
      ...(report?.notCited ?? []).map((price) => price.slug),
    ]);
    expect([...listed].sort()).toEqual((report?.prices ?? []).map((price) => price.slug).sort());

    // Follow the suggestion: the LiteLLM file through the shipped mapping.
    const imported = await api.run<{ importPrices: { recorded: number } }>(
      'mutation($file: String!, $mapping: String!) { importPrices(file: $file, fileName: "model_prices_and_context_window.json", mapping: $mapping, dryRun: false) { recorded } }',
      {
        file: await readFile('test/fixtures/prices/litellm-prices.json', 'utf8'),
        mapping: await readFile('seeds/price-mappings/litellm.mapping.yaml', 'utf8'),
      },
    );
    expect(imported.body.errors).toBeUndefined();
    expect(imported.body.data?.importPrices.recorded).toBeGreaterThan(0);
    const mappingAsOf = Date.parse('2026-11-25T00:00:00Z');
    const days = Math.floor((Date.now() - mappingAsOf) / DAY_MS) + 1;
    const after = await api.run<StaleData>(STALE, { days }, { as: 'VIEWER' });
    const slugs = (after.body.data?.stalePrices.prices ?? []).map((price) => price.slug);
    expect(slugs).not.toContain('bedrock-on-demand-8b-output');
    expect(slugs).toContain('bedrock-cmi-cmu-minute');
  });

  it('refuses a negative threshold, naming it', async () => {
    const refused = await api.run(STALE, { days: -1 }, { as: 'VIEWER' });
    expect(refused.body.errors?.[0]?.message).toContain(
      'olderThanDays: must be between 0 and 3650 days, got -1',
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
