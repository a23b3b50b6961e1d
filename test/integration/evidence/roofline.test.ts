import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const ROOFLINE = /* GraphQL */ `
  query Roofline($variant: String!, $bytesPerParam: Decimal, $contextTokens: Int, $concurrency: Int) {
    roofline(box: "dgx-spark", variant: $variant, bytesPerParam: $bytesPerParam, contextTokens: $contextTokens, concurrency: $concurrency) {
      ceilingTokensPerSecond
      bytesPerToken
      bytesPerParam
      kvGeometryApproximated
      memoryFit { weightBytes kvCacheBytes requiredBytes usableBytes fits spareBytes headroomFraction }
      assumptions
    }
  }
`;

interface RooflineData {
  roofline: {
    ceilingTokensPerSecond: number;
    bytesPerToken: number;
    bytesPerParam: string;
    kvGeometryApproximated: boolean;
    memoryFit: { weightBytes: number; kvCacheBytes: number; fits: boolean; spareBytes: number };
    assumptions: string[];
  };
}

describe('roofline', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("puts the 26B MoE's ceiling well above the dense 8B's on the Spark", async () => {
    const ceilingOf = async (variant: string) => {
      const { body } = await api.run<RooflineData>(
        ROOFLINE,
        { variant, bytesPerParam: '1', contextTokens: 0 },
        { as: 'VIEWER' },
      );
      expect(body.errors).toBeUndefined();
      return body.data?.roofline as RooflineData['roofline'];
    };
    const dense = await ceilingOf('llama-3.1-8b-instruct-base');
    const moe = await ceilingOf('moe-26b-a4b-base');
    // 273 GB/s over 8.03 GB vs over 4 GB of active weights.
    expect(dense.ceilingTokensPerSecond).toBeCloseTo(273 / 8.03, 1);
    expect(moe.ceilingTokensPerSecond).toBeCloseTo(273 / 4, 1);
    expect(moe.ceilingTokensPerSecond / dense.ceilingTokensPerSecond).toBeGreaterThan(1.8);
    expect(moe.kvGeometryApproximated).toBe(true);
    expect(moe.assumptions.join('\n')).toMatch(/attention shape unknown/);
  });

  it('checks memory fit for the context and concurrency, and says what it defaulted', async () => {
    const { body } = await api.run<RooflineData>(
      ROOFLINE,
      { variant: 'llama-3.1-70b-instruct-base' },
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const roofline = body.data?.roofline;
    expect(roofline?.bytesPerParam).toBe('1');
    expect(roofline?.memoryFit.fits).toBe(true);
    expect(roofline?.assumptions).toEqual(
      expect.arrayContaining([
        'bytes per parameter taken from the model variant',
        'context 4096 tokens (default)',
        'concurrency 1 (default)',
      ]),
    );
    // 70B in BF16 with 64 × 128k-token sequences does not fit in 128 GiB.
    const tooBig = await api.run<RooflineData>(
      ROOFLINE,
      { variant: 'llama-3.1-70b-instruct-base', bytesPerParam: '2', contextTokens: 131072, concurrency: 64 },
      { as: 'VIEWER' },
    );
    expect(tooBig.body.data?.roofline.memoryFit.fits).toBe(false);
    expect(tooBig.body.data?.roofline.memoryFit.spareBytes).toBeLessThan(0);
  });

  it('asks for bytesPerParam when the variant records none, and validates the inputs', async () => {
    const missing = await api.run(ROOFLINE, { variant: 'moe-26b-a4b-base' }, { as: 'VIEWER' });
    expect(missing.body.errors?.[0]?.message).toMatch(/records no bytes per parameter: pass one/);
    const negative = await api.run(
      ROOFLINE,
      { variant: 'llama-3.1-8b-lora', concurrency: 0 },
      { as: 'VIEWER' },
    );
    expect(negative.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await api.run(ROOFLINE, { variant: 'nope' }, { as: 'VIEWER' });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('gives each seeded public result an efficiency in a plausible band, in one SQL statement', async () => {
    let statements = 0;
    const counted = database.prisma.$extends({
      query: {
        $allOperations: async ({ args, query }) => {
          statements += 1;
          return query(args);
        },
      },
    });
    const countingApi = await createGraphQLCaller(counted as unknown as typeof database.prisma);
    statements = 0;
    const { body } = await countingApi.run<{
      benchmarkResults: {
        edges: {
          node: {
            fingerprint: string;
            decodeTokensPerSecond: number | null;
            roofline: {
              ceilingTokensPerSecond: number | null;
              efficiency: number | null;
              assumptions: string[];
              unavailableReason: string | null;
            };
          };
        }[];
      };
    }>(
      /* GraphQL */ `
        {
          benchmarkResults(box: "dgx-spark", first: 50) {
            edges { node { fingerprint decodeTokensPerSecond roofline { ceilingTokensPerSecond efficiency assumptions unavailableReason } } }
          }
        }
      `,
      {},
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data?.benchmarkResults.edges.map((edge) => edge.node) ?? [];
    const measured = nodes.filter((node) => node.roofline.efficiency !== null);
    expect(measured.length).toBeGreaterThanOrEqual(5);
    for (const node of measured) {
      // Public measurements reach 70-87% of the bandwidth ceiling; llama.cpp MoE runs a bit less.
      expect(node.roofline.efficiency, node.fingerprint).toBeGreaterThan(0.5);
      expect(node.roofline.efficiency, node.fingerprint).toBeLessThan(0.95);
    }
    const moe = nodes.find((node) => node.fingerprint === 'seed:lab:spark:moe-26b-a4b:c1');
    expect(moe?.roofline.ceilingTokensPerSecond).toBeNull();
    expect(moe?.roofline.unavailableReason).toMatch(/bytes per parameter unknown/);
    // Token lookup, then the results with box, variant and model joined in: no query per result.
    expect(statements).toBeLessThanOrEqual(4);
  });
});
