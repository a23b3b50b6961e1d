import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGraphqlClient,
  type GraphqlCallError,
  type GraphqlClient,
} from '../../../clients/graphql/client';
import {
  BenchmarkRunProgressDocument,
  type BenchmarkRunProgressSubscription,
  CancelBenchmarkRunDocument,
  CreateBenchmarkRunDocument,
  ServingPathsDocument,
} from '../../../clients/graphql/operations.generated';
import { startTestApi, type TestApi } from '../../support/api-server';
import { freePort } from '../../support/processes';

/** The one GraphQL transport against the real API over loopback: answers, refusals, outages, SSE. */
describe('the GraphQL transport', () => {
  let api: TestApi;
  let client: GraphqlClient;
  beforeAll(async () => {
    api = await startTestApi();
    client = createGraphqlClient({ url: api.graphqlUrl, token: api.tokens.operator, clientName: 'test' });
  });
  afterAll(() => api.close());

  const failure = async (promise: Promise<unknown>): Promise<GraphqlCallError> => {
    try {
      await promise;
    } catch (error) {
      return error as GraphqlCallError;
    }
    throw new Error('expected the call to fail');
  };

  it('returns typed data for a generated document', async () => {
    const { servingPaths } = await client.execute(ServingPathsDocument, {});
    const seeded = await api.database.prisma.servingPath.count();
    expect(servingPaths).toHaveLength(seeded);
    expect(servingPaths.map((path) => path.slug)).toContain('dgx-spark');
  });

  it('sorts failures into kinds: refused token, unknown input, unreachable, too slow', async () => {
    const wrongToken = createGraphqlClient({ url: api.graphqlUrl, token: 'fp_wrong', clientName: 'test' });
    expect((await failure(wrongToken.execute(ServingPathsDocument, {}))).kind).toBe('forbidden');

    const unknown = await failure(
      client.execute(CreateBenchmarkRunDocument, {
        input: {
          box: 'dgx-spark',
          variant: 'no-such-variant',
          endpointKind: 'CHAT',
          idempotencyKey: 'transport-test',
          spec: {
            profile: { kind: 'CONCURRENCY', concurrency: [1] },
            numPrompts: 1,
            inputTokens: 1,
            outputTokens: 1,
          },
        },
      }),
    );
    expect(['not-found', 'invalid-input']).toContain(unknown.kind);
    expect(unknown.message).toContain('no-such-variant');
    expect(unknown.operationName).toBe('CreateBenchmarkRun');

    const closedPort = await freePort();
    const nowhere = createGraphqlClient({
      url: `http://127.0.0.1:${closedPort}/graphql`,
      token: 't',
      clientName: 'test',
    });
    const unreachable = await failure(nowhere.execute(ServingPathsDocument, {}));
    expect(unreachable.kind).toBe('unavailable');
    expect(unreachable.message).toContain('ECONNREFUSED');

    api.gate.delayMs = 1000;
    const impatient = createGraphqlClient({
      url: api.graphqlUrl,
      token: api.tokens.operator,
      clientName: 'test',
      timeoutMs: 200,
    });
    const slow = await failure(impatient.execute(ServingPathsDocument, {}));
    api.gate.delayMs = 0;
    expect(slow.kind).toBe('unavailable');
    expect(slow.message).toContain('did not answer in time');
  });

  it('streams a subscription over SSE until the run ends, and reports a cut stream as an error', async () => {
    const { createBenchmarkRun: run } = await client.execute(CreateBenchmarkRunDocument, {
      input: {
        box: 'dgx-spark',
        variant: 'llama-3.1-8b-lora',
        endpointKind: 'CHAT',
        idempotencyKey: 'transport-sse',
        spec: {
          profile: { kind: 'CONCURRENCY', concurrency: [1] },
          numPrompts: 1,
          inputTokens: 1,
          outputTokens: 1,
        },
      },
    });
    const seen: BenchmarkRunProgressSubscription[] = [];
    const ended = new Promise<GraphqlCallError | undefined>((resolve) => {
      client.subscribe(
        BenchmarkRunProgressDocument,
        { id: run.id },
        { next: (data) => seen.push(data), end: resolve },
      );
    });
    // The first event is the run as it is; cancelling a queued run ends it (and the stream).
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await client.execute(CancelBenchmarkRunDocument, { id: run.id });
    expect(await ended).toBeUndefined();
    expect(seen.at(-1)?.benchmarkRunProgress.status).toBe('CANCELLED');

    const { createBenchmarkRun: second } = await client.execute(CreateBenchmarkRunDocument, {
      input: {
        box: 'dgx-spark',
        variant: 'llama-3.1-8b-lora',
        endpointKind: 'CHAT',
        idempotencyKey: 'transport-sse-cut',
        spec: {
          profile: { kind: 'CONCURRENCY', concurrency: [1] },
          numPrompts: 1,
          inputTokens: 1,
          outputTokens: 1,
        },
      },
    });
    let first = false;
    const cut = new Promise<GraphqlCallError | undefined>((resolve) => {
      client.subscribe(
        BenchmarkRunProgressDocument,
        { id: second.id },
        { next: () => (first = true), end: resolve },
      );
    });
    while (!first) await new Promise((resolve) => setTimeout(resolve, 20));
    api.gate.down();
    const error = await cut;
    api.gate.up();
    expect(error?.kind).toBe('unavailable');
    await client.execute(CancelBenchmarkRunDocument, { id: second.id });
  });
});
