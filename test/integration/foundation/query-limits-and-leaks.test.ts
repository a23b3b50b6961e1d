import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../../src/api/yoga';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/**
 * RELIABILITY promises 8 (bounded query cost) and 9 (no leaks), through Yoga's HTTP pipeline in
 * production mode: every oversized request is refused with a clear error before it runs, and no
 * answer carries a stack, SQL, the schema (introspection) or field suggestions.
 */
describe('query limits and production leaks', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma, { isProduction: true });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const firstError = async (query: string, variables: Record<string, unknown> = {}) => {
    const { status, body } = await api.run(query, variables, { as: 'VIEWER' });
    expect(body.data ?? null, query.slice(0, 80)).toBeNull();
    // A limit is no syntax error (graphql-armor's wording): the message says what to ask instead.
    expect(body.errors?.[0]?.message).not.toMatch(/^Syntax Error/);
    return { status, message: body.errors?.[0]?.message ?? '', code: body.errors?.[0]?.extensions?.code };
  };

  it('refuses an over-deep query', async () => {
    const deep = `{ boxes ${'{ vendor { boxes '.repeat(QUERY_LIMITS.maxDepth)}{ slug }${' } }'.repeat(QUERY_LIMITS.maxDepth)} }`;
    // Refused by the depth or the cost limit, whichever trips first: both say so.
    expect((await firstError(deep)).message).toMatch(/depth|cost limit/i);
  });

  it('refuses too many aliases, tokens and directives', async () => {
    const aliases = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, index) => `a${index}: boxes { slug }`).join(' ')} }`;
    expect((await firstError(aliases)).message).toMatch(/alias/i);
    const tokens = `{ boxes { ${'slug '.repeat(QUERY_LIMITS.maxTokens)} } }`;
    expect((await firstError(tokens)).message).toMatch(/token/i);
    const directives = `{ boxes { slug ${'@include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} } }`;
    expect((await firstError(directives)).message).toMatch(/directive/i);
  });

  it('refuses a huge page size, literal or in a variable', async () => {
    const literal = await firstError('{ benchmarkResults(first: 100000) { edges { node { id } } } }');
    expect(literal.message).toMatch(/first|page size|cost limit|at most 100/i);
    const viaVariable = await firstError(
      'query Q($n: Int) { benchmarkResults(first: $n) { edges { node { id } } } }',
      { n: 100000 },
    );
    expect(viaVariable.message).toMatch(/first|page size|cost limit|at most 100/i);
  });

  it('refuses an oversized body and a batch', async () => {
    const big = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.VIEWER}` },
      body: JSON.stringify({ query: `{ boxes { slug } } # ${'x'.repeat(QUERY_LIMITS.maxRequestBodyBytes)}` }),
    });
    expect(big.status).toBe(413);
    const batch = await api.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.VIEWER}` },
      body: JSON.stringify([{ query: '{ boxes { slug } }' }, { query: '{ boxes { slug } }' }]),
    });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(batch.status).toBeLessThan(500);
  });

  it('keeps the schema to itself in production: no introspection, no field suggestions', async () => {
    const introspection = await firstError('{ __schema { types { name } } }');
    expect(introspection.message).toMatch(/introspection/i);
    const typo = await api.run('{ boxs { slug } }', {}, { as: 'VIEWER' });
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/i);
  });

  it('answers errors without stacks, SQL or internals', async () => {
    const answers = await Promise.all([
      api.run('{ box(slug: "no-such-box") { slug } }', {}, { as: 'VIEWER' }),
      api.run('mutation { updatePriceComponent(slug: "x", amount: "abc") { slug } }', {}, { as: 'ADMIN' }),
      api.run('{ boxes { slug } }', {}, { token: `fp_${'b'.repeat(43)}` }),
    ]);
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(text).not.toMatch(
        /stack|\bat \S+\.(ts|js):\d+|SELECT |INSERT |prisma|node_modules|Unexpected error/i,
      );
    }
  });
});
