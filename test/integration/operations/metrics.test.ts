import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api-server';
import { waitFor } from '../../support/processes';

/**
 * GET /metrics scraped from the real API on loopback (wired as `npm start` wires it): GraphQL
 * requests, latency and errors per operation, the queue and runs by state, a runner's heartbeat
 * age, and the lease sweeper's requeues and its "runner lost" failure of a run whose runners went silent.
 */

async function post(
  api: TestApi,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { extensions?: { code?: string } }[];
  };
}

async function scrape(api: TestApi): Promise<{ type: string | null; text: string }> {
  const response = await fetch(`${api.url}/metrics`);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample, e.g. sample(text, 'floorplan_runs', { status: 'QUEUED' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[4]);
  }
  return undefined;
}

const CREATE_RUN = /* GraphQL */ `
  mutation CreateRun($input: CreateBenchmarkRunInput!) { createBenchmarkRun(input: $input) { id status } }
`;
const LEASE = /* GraphQL */ `
  mutation Lease($box: String!, $runner: String!) { leaseBenchmarkRun(box: $box, runner: $runner) { id attempt } }
`;
const HEARTBEAT = /* GraphQL */ `
  mutation Heartbeat($id: ID!, $attempt: Int!) { heartbeatBenchmarkRun(id: $id, attempt: $attempt) { id } }
`;

describe('GET /metrics (Prometheus)', { timeout: 120_000 }, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ leaseSeconds: 1 });
  });
  afterAll(async () => {
    await api.close();
  });

  it('counts requests, latency and errors per operation, the queue, runs by state, heartbeats and the sweeper', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await post(api, api.tokens.operator, 'query CatalogPaths { servingPaths { slug } }');
      expect(answer.errors).toBeUndefined();
    }
    const missing = await post(
      api,
      api.tokens.operator,
      'query OnePath { servingPath(slug: "nope") { slug } }',
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const refused = await post(
      api,
      api.tokens.runner,
      'mutation Refused { addToCatalog(input: {}) { slug } }',
    );
    expect(refused.errors?.length).toBeGreaterThan(0);

    // Two runs queued; a runner leases one, heartbeats once, then goes silent: the sweeper requeues it.
    for (let i = 0; i < 2; i++) {
      const created = await post(api, api.tokens.operator, CREATE_RUN, {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-instruct-base',
          endpointKind: 'COMPLETIONS',
          idempotencyKey: randomUUID(),
          spec: {
            profile: { kind: 'CONCURRENCY', concurrency: [1] },
            numPrompts: 1,
            inputTokens: 8,
            outputTokens: 2,
            warmupRequests: 0,
            model: 'fake-model',
          },
        },
      });
      expect(created.errors).toBeUndefined();
    }
    const leased = await post(api, api.tokens.runner, LEASE, { box: 'dgx-spark', runner: 'spark-1' });
    expect(leased.errors).toBeUndefined();
    const run = leased.data?.leaseBenchmarkRun as { id: string; attempt: number };
    expect((await post(api, api.tokens.runner, HEARTBEAT, run)).errors).toBeUndefined();

    const during = await scrape(api);
    expect(during.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(during.text, 'floorplan_graphql_requests_total', { operation: 'CatalogPaths', type: 'query' }),
    ).toBe(3);
    expect(
      sample(during.text, 'floorplan_graphql_request_duration_seconds_count', { operation: 'CatalogPaths' }),
    ).toBe(3);
    expect(
      sample(during.text, 'floorplan_graphql_errors_total', { operation: 'OnePath', code: 'NOT_FOUND' }),
    ).toBe(1);
    expect(
      sample(during.text, 'floorplan_graphql_errors_total', { operation: 'Refused', code: 'FORBIDDEN' }),
    ).toBe(1);
    expect(
      sample(during.text, 'floorplan_graphql_requests_total', { operation: 'Lease', type: 'mutation' }),
    ).toBe(1);
    expect(sample(during.text, 'floorplan_run_queue_depth')).toBe(1);
    expect(sample(during.text, 'floorplan_runs', { status: 'LEASED' })).toBe(1);
    expect(sample(during.text, 'floorplan_runs', { status: 'SUCCEEDED' })).toBe(0);
    const age = sample(during.text, 'floorplan_runner_last_heartbeat_age_seconds', {
      runner: 'spark-runner/spark-1',
    });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(30);
    expect(sample(during.text, 'floorplan_lease_sweeper_runs_total', { outcome: 'requeued' })).toBe(0);
    expect(sample(during.text, 'floorplan_metrics_database_up')).toBe(1);
    expect(sample(during.text, 'floorplan_process_resident_memory_bytes')).toBeGreaterThan(0);

    // The lease (1 s) runs out with no heartbeat; the sweeper (every 1 s) puts the run back in the queue.
    const after = await waitFor(
      'the sweeper to requeue the silent runner’s run',
      async () => {
        const { text } = await scrape(api);
        return sample(text, 'floorplan_lease_sweeper_runs_total', { outcome: 'requeued' }) === 1
          ? text
          : null;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(sample(after, 'floorplan_run_queue_depth')).toBe(2);
    expect(sample(after, 'floorplan_runs', { status: 'LEASED' })).toBe(0);
    expect(sample(after, 'floorplan_lease_sweeper_runs_total', { outcome: 'runner_lost' })).toBe(0);

    // Two more silent leases of the same (oldest) run: its third expiry fails it as "runner lost".
    for (const expiries of [2, 3]) {
      const again = await post(api, api.tokens.runner, LEASE, { box: 'dgx-spark', runner: 'spark-1' });
      expect((again.data?.leaseBenchmarkRun as { id: string } | undefined)?.id).toBe(run.id);
      await waitFor(
        `expiry ${expiries}`,
        async () => {
          const { text } = await scrape(api);
          const requeued = sample(text, 'floorplan_lease_sweeper_runs_total', { outcome: 'requeued' }) ?? 0;
          const lost = sample(text, 'floorplan_lease_sweeper_runs_total', { outcome: 'runner_lost' }) ?? 0;
          return requeued + lost === expiries;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    }
    const { text: end } = await scrape(api);
    expect(sample(end, 'floorplan_lease_sweeper_runs_total', { outcome: 'requeued' })).toBe(2);
    expect(sample(end, 'floorplan_lease_sweeper_runs_total', { outcome: 'runner_lost' })).toBe(1);
    expect(sample(end, 'floorplan_runs', { status: 'FAILED' })).toBe(1);
    expect(sample(end, 'floorplan_run_queue_depth')).toBe(1);
  });
});
