import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlFloorplanApi } from '../../../clients/graphql/graphql-client';
import { FloorplanApiError } from '../../../clients/graphql/types';
import { FAKE_API_TOKEN, FakeFloorplanApi } from '../../fakes/floorplan-api';

async function expectApiError(
  promise: Promise<unknown>,
  kind: FloorplanApiError['kind'],
  message: string | RegExp,
) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FloorplanApiError);
  expect((error as FloorplanApiError).kind).toBe(kind);
  expect((error as FloorplanApiError).message).toMatch(message);
}

describe('the GraphQL client', () => {
  const api = new FakeFloorplanApi();
  let odd: Server;
  let oddUrl = '';
  let oddAnswer: { status: number; body: string } = { status: 200, body: '{}' };
  beforeAll(async () => {
    await api.start();
    odd = createServer((_request, response) => {
      response.writeHead(oddAnswer.status, { 'content-type': 'application/json' });
      response.end(oddAnswer.body);
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await api.stop();
    await new Promise((resolve) => odd.close(resolve));
  });

  it('sends the bearer token and the named operation, and maps the answer', async () => {
    const client = createGraphqlFloorplanApi({ url: api.url, token: FAKE_API_TOKEN });
    const paths = await client.listPaths();
    expect(paths[0]).toMatchObject({ slug: 'dgx-spark', vendor: 'NVIDIA' });
    expect(api.operationsNamed('ServingPaths')[0]?.query).toContain('servingPaths');
  });

  it('says the API is unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = createGraphqlFloorplanApi({ url: `http://127.0.0.1:${port}/graphql`, token: 't' });
    await expectApiError(client.listPaths(), 'unavailable', /not reachable \(ECONNREFUSED\)/);
  });

  it('times out on an API that does not answer', async () => {
    api.delayMs = 2000;
    const client = createGraphqlFloorplanApi({ url: api.url, token: FAKE_API_TOKEN, timeoutMs: 200 });
    await expectApiError(client.listPaths(), 'unavailable', /did not answer in time/);
    api.delayMs = 0;
  });

  it('refuses a wrong token as forbidden', async () => {
    const client = createGraphqlFloorplanApi({ url: api.url, token: 'wrong' });
    await expectApiError(client.listPaths(), 'forbidden', /Unauthenticated/);
  });

  it('reads GraphQL errors from a 200 and maps their codes', async () => {
    const client = createGraphqlFloorplanApi({ url: oddUrl, token: 't' });
    oddAnswer = {
      status: 200,
      body: JSON.stringify({
        data: null,
        errors: [{ message: 'budget: not a decimal', extensions: { code: 'BAD_USER_INPUT' } }],
      }),
    };
    await expectApiError(client.listPaths(), 'invalid-input', 'budget: not a decimal');
    oddAnswer = { status: 200, body: JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }) };
    await expectApiError(client.listPaths(), 'failed', 'Unexpected error.');
  });

  it('names the operation when the answer has the wrong shape, and survives HTML and 502s', async () => {
    const client = createGraphqlFloorplanApi({ url: oddUrl, token: 't' });
    oddAnswer = { status: 200, body: JSON.stringify({ data: { servingPaths: [{ slug: 1 }] } }) };
    await expectApiError(
      client.listPaths(),
      'failed',
      /answer to ServingPaths did not have the expected shape/,
    );
    oddAnswer = { status: 502, body: '<html>Bad Gateway</html>' };
    await expectApiError(client.listPaths(), 'unavailable', /HTTP 502/);
    oddAnswer = { status: 200, body: 'not json' };
    await expectApiError(client.listPaths(), 'failed', /no GraphQL result/);
  });

  it('returns null for an unknown run (NOT_FOUND), and refuses charts from other hosts', async () => {
    const client = createGraphqlFloorplanApi({ url: api.url, token: FAKE_API_TOKEN });
    expect(await client.benchmarkRun('nope')).toBeNull();
    await expectApiError(client.chartPng('https://evil.example/charts/cost.png'), 'failed', /another host/);
    expect((await client.chartPng('/charts/cost.png?workloadId=w1')).subarray(1, 4).toString()).toBe('PNG');
    await expectApiError(client.chartPng('/charts/cost.png'), 'failed', /HTTP 400/);
  });

  it('streams run snapshots over SSE and ends on complete', async () => {
    const client = createGraphqlFloorplanApi({ url: api.url, token: FAKE_API_TOKEN });
    const run = await client.createBenchmarkRun({
      box: 'dgx-spark',
      modelVariant: 'qwen3-4b-lora',
      profile: { concurrency: [1], prompts: 3, inputTokens: 8, outputTokens: 8 },
      idempotencyKey: 'k-sse',
    });
    const statuses: string[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      client.subscribeRunProgress(run.id, {
        onRun: (snapshot) => statuses.push(snapshot.status),
        onEnd: resolve,
      });
    });
    while (api.openStreamCount(run.id) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    api.updateRun(run.id, {
      status: 'LEASED',
      progress: {
        levelIndex: 0,
        levelCount: 1,
        phase: 'measure',
        completed: 1,
        failed: 0,
        total: 3,
        outputTokens: 8,
      },
    });
    api.finishRun(run.id, { status: 'SUCCEEDED' });
    expect(await ended).toBeUndefined();
    expect(statuses).toEqual(['QUEUED', 'LEASED', 'SUCCEEDED']);
  });
});
