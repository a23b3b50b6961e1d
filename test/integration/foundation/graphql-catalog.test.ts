import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const CATALOG = /* GraphQL */ `
  query Catalog {
    servingPaths {
      slug
      kind
      box { slug memoryBandwidthGBs }
      priceComponents { slug kind price { amount currency } source asOf confidence isAssumption model { slug } }
      placements { layer placement rationale }
    }
  }
`;

describe('GraphQL catalog', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("shows the lab's paths with prices, sources and DAPM placements", async () => {
    const { body } = await api.run<{
      servingPaths: {
        slug: string;
        priceComponents: { slug: string; price: { amount: string }; source: string }[];
        placements: { layer: string; placement: string }[];
      }[];
    }>(CATALOG, {}, { as: 'VIEWER' });
    expect(body.errors).toBeUndefined();
    const spark = body.data?.servingPaths.find((path) => path.slug === 'dgx-spark');
    expect(spark?.placements.map((placement) => placement.placement)).toEqual([
      'RETAINED',
      'RETAINED',
      'RETAINED',
    ]);
    // The current figure is the newest dated value ($4,699 from April 2026); $3,999 stays in its history.
    expect(spark?.priceComponents.find((price) => price.slug === 'dgx-spark-purchase')?.price.amount).toBe(
      '4699',
    );
    const cmi = body.data?.servingPaths.find((path) => path.slug === 'bedrock-cmi');
    expect(cmi?.priceComponents.find((price) => price.slug === 'bedrock-cmi-cmu-minute')?.source).toMatch(
      /AWS ML blog/,
    );
  });

  it('issues a bounded number of SQL statements for the whole catalog (no N+1)', async () => {
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
    // A token's first use writes its last use (once per 5 minutes): not part of the catalog's cost.
    await countingApi.run('{ viewer { role } }', {}, { as: 'VIEWER' });
    statements = 0;
    const { body } = await countingApi.run(CATALOG, {}, { as: 'VIEWER' });
    expect(body.errors).toBeUndefined();
    // One query for the paths with every relation included; the token lookup is the other one.
    expect(statements).toMatchInlineSnapshot('2');
  });

  it('refuses anonymous callers unless the public catalog is enabled', async () => {
    const refused = await api.run(CATALOG, {}, { as: 'ANONYMOUS' });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
    const publicApi = await createGraphQLCaller(database.prisma, { publicCatalog: true });
    const allowed = await publicApi.run(CATALOG, {}, { as: 'ANONYMOUS' });
    expect(allowed.body.errors).toBeUndefined();
  });

  it('answers an unknown slug with a clear NOT_FOUND error', async () => {
    const { body } = await api.run('{ servingPath(slug: "no-such-path") { slug } }', {}, { as: 'VIEWER' });
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(body.errors?.[0]?.message).toContain('no-such-path');
  });

  it('refuses a page size over the cap, literal or via variables', async () => {
    // A literal page size is priced by the cost limit before the resolver's cap is reached.
    const literal = await api.run(
      '{ benchmarkResults(first: 500) { edges { node { id } } } }',
      {},
      { as: 'VIEWER' },
    );
    expect(literal.body.errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded|over the limit of 100/);
    expect(literal.body.data ?? null).toBeNull();
    const viaVariable = await api.run(
      'query Q($n: Int) { benchmarkResults(first: $n) { edges { node { id } } } }',
      { n: 101 },
      { as: 'VIEWER' },
    );
    expect(viaVariable.body.errors?.[0]?.message).toMatch(/over the limit of 100/);
    const ok = await api.run(
      '{ benchmarkResults(first: 3) { edges { node { id decodeTokensPerSecond } } } }',
      {},
      {
        as: 'VIEWER',
      },
    );
    expect(ok.body.errors).toBeUndefined();
  });

  it('answers a wrong-length or unknown token with 401, not 500', async () => {
    for (const token of ['short', `fp_${'x'.repeat(43)}`, `fp_${'y'.repeat(200)}`]) {
      const { status, body } = await api.run('{ viewer { role } }', {}, { token });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});

const UPDATE_PRICE = /* GraphQL */ `
  mutation Update($slug: String!, $input: UpdatePriceComponentInput!) {
    updatePriceComponent(slug: $slug, input: $input) { slug price { amount } source confidence }
  }
`;

describe('editing a price', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  const edit = {
    slug: 'bedrock-cmi-cmu-minute',
    input: {
      amount: '0.08000001',
      source: 'AWS pricing page, re-checked',
      asOf: '2026-11-01T00:00:00Z',
      confidence: 'C',
    },
  };

  it('is refused for anonymous and viewer callers and changes nothing', async () => {
    for (const as of ['ANONYMOUS', 'VIEWER', 'OPERATOR'] as const) {
      const { body } = await api.run(UPDATE_PRICE, edit, { as });
      expect(body.errors?.[0]?.extensions?.code, as).toBe('FORBIDDEN');
    }
    const price = await database.prisma.priceComponent.findUniqueOrThrow({ where: { slug: edit.slug } });
    expect(price.amount.toString()).toBe('0.0785');
    expect(await database.prisma.auditEvent.count()).toBe(0);
  });

  it('works for an admin, exactly, and writes an audit event with before and after', async () => {
    const { body } = await api.run<{ updatePriceComponent: { price: { amount: string } } }>(
      UPDATE_PRICE,
      edit,
      {
        as: 'ADMIN',
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.updatePriceComponent.price.amount).toBe('0.08000001');
    const audit = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'price.update' } });
    expect(audit.actor).toMatch(/^token:test-admin/);
    expect((audit.before as { amount: string }).amount).toBe('0.0785');
    expect((audit.after as { amount: string }).amount).toBe('0.08000001');
  });

  it('rejects malformed decimals and unknown slugs with clear errors', async () => {
    const number = await api.run(UPDATE_PRICE, { ...edit, input: { ...edit.input, amount: 0.08 } });
    expect(number.body.errors?.[0]?.message).toMatch(/must be a string/);
    const exponent = await api.run(UPDATE_PRICE, { ...edit, input: { ...edit.input, amount: '8e-2' } });
    expect(exponent.body.errors?.[0]?.message).toMatch(/not a decimal/);
    const negative = await api.run(UPDATE_PRICE, { ...edit, input: { ...edit.input, amount: '-1' } });
    expect(negative.body.errors?.[0]?.message).toMatch(/input\.amount: a price cannot be negative/);
    const unsourced = await api.run(UPDATE_PRICE, { slug: edit.slug, input: { amount: '1' } });
    expect(unsourced.body.errors?.[0]?.message).toMatch(/needs its source and asOf/);
    const tooPrecise = await api.run(UPDATE_PRICE, {
      ...edit,
      input: { ...edit.input, amount: '0.0800000001' },
    });
    expect(tooPrecise.body.errors?.[0]?.message).toMatch(/at most 8 decimal places/);
    const unknown = await api.run(UPDATE_PRICE, { ...edit, slug: 'nope' });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
