import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableEvidenceCache, evidenceChanged } from '../../../src/app/decisions/evidence-cache';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';
import { SqlRecorder } from '../../support/sql-statements';

/**
 * The SQL each important operation sends, snapshotted statement by statement
 * (__snapshots__/sql-statements.test.ts.snap). A change that adds a query per row (N+1), reads a
 * new column or drops an index-friendly filter shows up as a diff of the snapshot in review. After
 * an intended change, update it with
 * `npx vitest run test/integration/foundation/sql-statements.test.ts --update`
 * and read the diff.
 */

const repository = path.resolve(import.meta.dirname, '..', '..', '..');
const readRepositoryFile = (...parts: string[]) => readFileSync(path.join(repository, ...parts), 'utf8');
const { name: _name, ...workload } = JSON.parse(
  readRepositoryFile('seeds', 'workloads', 'lab-retrieval.json'),
);

const DECIDE = /* GraphQL */ `
  query Decide($workload: WorkloadInput!) {
    decide(workload: $workload) {
      recommendation { optionId monthlyCost { amount } }
      paths { optionId monthlyCost { amount } verdicts { axis pass evidenceIds } }
      minimalKeptSets { kept }
    }
  }
`;
const CATALOG = /* GraphQL */ `
  {
    servingPaths {
      slug kind
      priceComponents { slug kind price { amount currency } unit source asOf confidence isAssumption }
      placements { layer placement rationale }
    }
  }
`;
const RUNS = /* GraphQL */ `
  {
    benchmarkRuns(first: 20) {
      edges { node { id status box { slug } variant { slug } results { id decodeTokensPerSecond } } }
    }
  }
`;
const SAVE = /* GraphQL */ `
  mutation Save($workload: WorkloadInput!) { saveDecision(workload: $workload) { id } }
`;
const SAVED = /* GraphQL */ `
  { savedDecisions(last: 20) { id createdBy createdAt keep } }
`;
const CREATE_RUN = /* GraphQL */ `
  mutation Create($input: CreateBenchmarkRunInput!) { createBenchmarkRun(input: $input) { id } }
`;
const LEASE = /* GraphQL */ `
  mutation Lease { leaseBenchmarkRun(box: "dgx-spark", runner: "sql-snapshot") { id attempt } }
`;
const IMPORT = /* GraphQL */ `
  mutation Import($input: ImportBenchmarkResultsInput!) {
    importBenchmarkResults(input: $input) { fileName results { resultId alreadyImported } }
  }
`;

describe('SQL statements per operation', () => {
  const recorder = new SqlRecorder();
  let database: TestDatabase;
  let api: GraphQLCaller;

  beforeAll(async () => {
    database = await createTestDatabase({ onQuery: recorder.record });
    enableEvidenceCache(database.prisma);
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Runs the operation and returns its statements; fails on any GraphQL error. */
  const statementsOf = async (
    query: string,
    variables?: Record<string, unknown>,
    as: 'ADMIN' | 'OPERATOR' | 'RUNNER' = 'ADMIN',
  ): Promise<string[]> =>
    recorder.during(async () => {
      const { body } = await api.run(query, variables, { as });
      expect(body.errors).toBeUndefined();
    });

  it('decide: the evidence once on a cold cache, nothing on a warm one', async () => {
    evidenceChanged(database.prisma);
    expect(await statementsOf(DECIDE, { workload })).toMatchSnapshot('cold');
    expect(await statementsOf(DECIDE, { workload })).toMatchSnapshot('warm');
  });

  it('the catalog', async () => {
    expect(await statementsOf(CATALOG)).toMatchSnapshot();
  });

  it('saveDecision and savedDecisions', async () => {
    await statementsOf(SAVE, { workload });
    await statementsOf(SAVE, { workload });
    expect(await statementsOf(SAVED)).toMatchSnapshot();
  });

  it('an import of one result file', async () => {
    const input = {
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-instruct-base',
      files: [
        {
          name: 'vllm-detailed.json',
          content: readRepositoryFile('test', 'fixtures', 'imports', 'vllm-detailed.json'),
        },
      ],
    };
    expect(await statementsOf(IMPORT, { input }, 'OPERATOR')).toMatchSnapshot();
  });

  it('createBenchmarkRun, leaseNextRun and benchmarkRuns with results', async () => {
    const input = {
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-instruct-base',
      endpointKind: 'COMPLETIONS',
      idempotencyKey: 'sql-snapshot-run-1',
      spec: {
        profile: { kind: 'CONCURRENCY', concurrency: [1] },
        numPrompts: 2,
        inputTokens: 8,
        outputTokens: 4,
        warmupRequests: 0,
        model: 'fake-model',
      },
    };
    await statementsOf(CREATE_RUN, { input }, 'OPERATOR');
    await statementsOf(CREATE_RUN, { input: { ...input, idempotencyKey: 'sql-snapshot-run-2' } }, 'OPERATOR');
    expect(await statementsOf(LEASE, {}, 'RUNNER')).toMatchSnapshot('lease');
    expect(await statementsOf(RUNS)).toMatchSnapshot('runs');
  });
});
