import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsServedFromMemory } from '../../../src/api/plugins/remembered-results';
import { startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { answersDecided } from '../../../src/app/decisions/answer';
import {
  enableEvidenceCache,
  evidenceLoads,
  evidenceReadLoads,
  listenForEvidenceChanges,
} from '../../../src/app/decisions/evidence-cache';
import { type Database, openDatabase } from '../../../src/db/connection';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';

/**
 * The API keeps one evidence snapshot between answers. These prove it is dropped by every write
 * that changes evidence: a mutation in the same process, and on Postgres a write by anyone (a
 * second replica with its own connection pool and cache, or a direct write such as the CLI's).
 */

const DECIDE = /* GraphQL */ `
  query Decide($workload: WorkloadInput!) {
    decide(workload: $workload) {
      paths {
        optionId
        monthlyCost { amount }
        costLines { priceComponentIds }
        verdicts { axis pass evidenceIds }
      }
      recommendation { optionId }
    }
  }
`;

interface DecideData {
  decide: {
    paths: {
      optionId: string;
      monthlyCost: { amount: string };
      costLines: { priceComponentIds: string[] }[];
      verdicts: { axis: string; pass: boolean; evidenceIds: string[] }[];
    }[];
  };
}

const repository = path.resolve(import.meta.dirname, '..', '..', '..');
const {
  name: _name,

  ...rest
} = JSON.parse(
  readFileSync(path.join(repository, 'seeds', 'workloads', 'lab-retrieval.json'), 'utf8'),
) as Record<string, unknown>;
const workload = rest;

interface Replica {
  database: Database;
  url: string;
  close(): Promise<void>;
}

async function startReplica(database: Database, databaseUrl: string | null): Promise<Replica> {
  enableEvidenceCache(database.prisma);
  const stopListening = databaseUrl
    ? await listenForEvidenceChanges(database.prisma, databaseUrl)
    : async () => {};
  const api = await startApiServer({
    prisma: database.prisma,
    host: '127.0.0.1',
    port: 0,
    isProduction: true,
    publicCatalog: false,
  });
  return {
    database,
    url: api.url,
    close: async () => {
      await api.close();
      await stopListening();
    },
  };
}

async function graphql<Data>(
  replica: Replica,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Data> {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Sets a price component's amount through the API (a mutation: evidence changes); returns its slug. */
async function setPrice(replica: Replica, token: string, slug: string, amount: string, source: string) {
  const data = await graphql<{ updatePriceComponent: { slug: string } }>(
    replica,
    token,
    `mutation Update($slug: String!, $input: UpdatePriceComponentInput!) {
      updatePriceComponent(slug: $slug, input: $input) { slug }
    }`,
    { slug, input: { amount, source, asOf: new Date().toISOString() } },
  );
  return data.updatePriceComponent.slug;
}

const decide = (replica: Replica, token: string) =>
  graphql<DecideData>(replica, token, DECIDE, { workload }).then((data) => data.decide);

/** Polls until `check` holds: a notification from another connection arrives within milliseconds. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const costOf = (answer: DecideData['decide'], optionId: string) =>
  answer.paths.find((option) => option.optionId === optionId)?.monthlyCost.amount;

describe('the cached evidence snapshot', () => {
  let database: TestDatabase;
  let first: Replica;
  let token: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startReplica(database, database.url);
    closers.push(first.close);
    token = (await createApiToken(database.prisma, { name: 'cache-admin', role: 'ADMIN' })).token;
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await database?.drop();
  });

  it('answers from one load until a mutation changes evidence, then from the new evidence at once', async () => {
    const before = await decide(first, token);
    const loadsAfterFirst = evidenceLoads(database.prisma);
    const decidedAfterFirst = answersDecided();
    const servedAfterFirst = resultsServedFromMemory();
    for (let index = 0; index < 5; index++) expect(await decide(first, token)).toEqual(before);
    // Warm: five answers, no reload, the same question not decided again, and the same request's
    // whole result handed out without executing it.
    expect(evidenceLoads(database.prisma)).toBe(loadsAfterFirst);
    expect(answersDecided()).toBe(decidedAfterFirst);
    expect(resultsServedFromMemory()).toBe(servedAfterFirst + 5);
    // Another question is decided, once.
    const otherWorkload = { ...workload, requestsPerDay: Number(workload.requestsPerDay) * 2 };
    const other = () => graphql<DecideData>(first, token, DECIDE, { workload: otherWorkload });
    expect(await other()).not.toEqual(before);
    await other();
    expect(answersDecided()).toBe(decidedAfterFirst + 1);

    const priced = before.paths.find((option) =>
      option.costLines.some((line) => line.priceComponentIds.length > 0),
    );
    if (!priced) throw new Error('the lab workload has no priced option');
    const componentSlug = priced.costLines.flatMap((line) => line.priceComponentIds)[0] ?? '';
    const component = await database.prisma.priceComponent.findUniqueOrThrow({
      where: { slug: componentSlug },
    });
    const updated = await setPrice(
      first,
      token,
      componentSlug,
      component.amount.times(3).toString(),
      'cache test: tripled',
    );
    expect(updated).toBe(componentSlug);
    // No waiting: the same process dropped its snapshot when the mutation finished.
    const after = await decide(first, token);
    expect(costOf(after, priced.optionId)).not.toBe(costOf(before, priced.optionId));
    expect(evidenceLoads(database.prisma)).toBe(loadsAfterFirst + 1);
    // The answers remembered from the old snapshot went with it: this one was decided afresh.
    expect(answersDecided()).toBe(decidedAfterFirst + 2);
    // And the result was executed again (the cost above is the new one), not handed out.
    expect(resultsServedFromMemory()).toBe(servedAfterFirst + 6);
  });

  it('keeps the catalog (servingPaths) beside the snapshot and drops it with it', async () => {
    const CATALOG = `{ servingPaths { slug vendor { name } priceComponents { slug price { amount } } } }`;
    type Catalog = {
      servingPaths: { slug: string; priceComponents: { slug: string; price: { amount: string } }[] }[];
    };
    const read = () => graphql<Catalog>(first, token, CATALOG, {});
    const amountOf = (catalog: Catalog, slug: string) =>
      catalog.servingPaths.flatMap((item) => item.priceComponents).find((item) => item.slug === slug)?.price
        .amount;
    const before = await read();
    const readsAfterFirst = evidenceReadLoads(database.prisma);
    for (let index = 0; index < 3; index++) expect(await read()).toEqual(before);
    // Warm: the same answer, no database read for the catalog.
    expect(evidenceReadLoads(database.prisma)).toBe(readsAfterFirst);

    const slug = before.servingPaths.flatMap((item) => item.priceComponents)[0]?.slug ?? '';
    const component = await database.prisma.priceComponent.findUniqueOrThrow({ where: { slug } });
    await setPrice(first, token, slug, component.amount.times(5).toString(), 'cache test: five times');
    // No waiting: the mutation dropped the catalog with the snapshot.
    expect(Number(amountOf(await read(), slug))).toBeCloseTo(component.amount.toNumber() * 5, 10);
    expect(evidenceReadLoads(database.prisma)).toBe(readsAfterFirst + 1);
  });

  it.skipIf(!usingPostgres())(
    'a second replica drops its snapshot when another process writes evidence (LISTEN/NOTIFY)',
    async () => {
      const url = database.url ?? '';
      const otherDatabase = await openDatabase({ kind: 'postgres', url });
      const second = await startReplica(otherDatabase, url);
      closers.push(async () => {
        await second.close();
        await otherDatabase.close();
      });
      const warm = await decide(second, token);
      const loads = evidenceLoads(otherDatabase.prisma);
      await decide(second, token);
      expect(evidenceLoads(otherDatabase.prisma)).toBe(loads);

      // A write through the first replica's API reaches the second replica's cache.
      const priced = warm.paths.find((option) =>
        option.costLines.some((line) => line.priceComponentIds.length > 0),
      );
      const componentSlug = priced?.costLines.flatMap((line) => line.priceComponentIds)[0] ?? '';
      const component = await database.prisma.priceComponent.findUniqueOrThrow({
        where: { slug: componentSlug },
      });
      await setPrice(
        first,
        token,
        componentSlug,
        component.amount.times(2).toString(),
        'cache test: doubled on the first replica',
      );
      const seen = await eventually(
        () => decide(second, token),
        (answer) => costOf(answer, priced?.optionId ?? '') !== costOf(warm, priced?.optionId ?? ''),
      );
      expect(costOf(seen, priced?.optionId ?? '')).not.toBe(costOf(warm, priced?.optionId ?? ''));

      // A write that bypasses the API entirely (the CLI's import, psql) reaches both replicas: a
      // newer measurement of a level the answer cites (same numbers) replaces the old one there.
      const citedBefore = seen.paths.flatMap((option) =>
        option.verdicts.flatMap((verdict) => verdict.evidenceIds),
      );
      const measured = await database.prisma.benchmarkResult.findFirstOrThrow({
        where: { id: { in: citedBefore } },
        orderBy: { fingerprint: 'asc' },
      });
      const { id: _id, fingerprint: _fingerprint, createdAt: _createdAt, runId: _runId, ...copy } = measured;
      const newer = await database.prisma.benchmarkResult.create({
        data: {
          ...copy,
          summary: copy.summary ?? {},
          regression: undefined,
          fingerprint: 'cache-test:newer',
          measuredAt: new Date(measured.measuredAt.getTime() + 86_400_000),
        },
      });
      for (const replica of [first, second]) {
        const answer = await eventually(
          () => decide(replica, token),
          (value) =>
            value.paths.some((option) =>
              option.verdicts.some((verdict) => verdict.evidenceIds.includes(newer.id)),
            ),
        );
        const cited = answer.paths.flatMap((option) =>
          option.verdicts.flatMap((verdict) => verdict.evidenceIds),
        );
        // The latest result of the level stands for it; the one it superseded is no longer cited.
        expect(cited).toContain(newer.id);
        expect(cited).not.toContain(measured.id);
      }
    },
    60_000,
  );
});
