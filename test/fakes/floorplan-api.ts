import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Decision, ServingPath } from '../../clients/graphql/types';

/**
 * A small stand-in for floorplan's GraphQL API, answering the bot's operations by name over real
 * HTTP (including GraphQL over SSE for run progress and the chart PNGs), so the bot's tests do not
 * depend on the real API's progress. The real API replaces it in the end-to-end suite.
 */

export const FAKE_API_TOKEN = 'fp_bot_test_token';

/** A 1x1 PNG: enough for the bot to check the signature and upload it. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export interface RecordedOperation {
  operationName: string;
  variables: Record<string, unknown>;
  query: string;
  at: number;
}

interface GraphqlErrorSpec {
  message: string;
  code: string;
}

const money = (amount: string) => ({ amount, currency: 'USD' });

export function sampleDecision(): Decision {
  const verdict = (
    axis: Decision['paths'][number]['verdicts'][number]['axis'],
    shortfall: string | null,
  ) => ({
    axis,
    pass: shortfall === null,
    sentence: shortfall === null ? `${axis.toLowerCase()} passes` : `${axis.toLowerCase()}: ${shortfall}`,
    shortfall,
  });
  return {
    id: null,
    requestsPerMonth: 1_200_000,
    paths: [
      {
        optionId: 'dgx-spark/llama-3.1-8b-lora',
        pathSlug: 'dgx-spark',
        pathName: 'DGX Spark (owned)',
        pathKind: 'OWNED_BOX',
        servedVariant: 'llama-3.1-8b-lora',
        monthlyCost: money('122.4012'),
        costLow: null,
        costHigh: null,
        decodeTokensPerSecond: 21,
        leadTimeDays: 3,
        failedAxes: ['FAST'],
        verdicts: [
          verdict('FAST', '21 vs 30 tok/s'),
          verdict('CHEAP', null),
          verdict('HIGH_CONFIDENCE', null),
          verdict('CONTROLLED', null),
          verdict('AVAILABLE', null),
        ],
      },
      {
        optionId: 'bedrock-pt/llama-3.1-8b-lora',
        pathSlug: 'bedrock-pt',
        pathName: 'Bedrock Provisioned Throughput',
        pathKind: 'PROVISIONED_THROUGHPUT',
        servedVariant: 'llama-3.1-8b-lora',
        monthlyCost: money('17155.00'),
        costLow: null,
        costHigh: null,
        decodeTokensPerSecond: null,
        leadTimeDays: 0,
        failedAxes: ['CHEAP', 'CONTROLLED'],
        verdicts: [
          verdict('FAST', null),
          verdict('CHEAP', '$17,155 vs $500 budget'),
          verdict('HIGH_CONFIDENCE', null),
          verdict('CONTROLLED', 'weights stay with the platform'),
          verdict('AVAILABLE', null),
        ],
      },
      {
        optionId: 'bedrock-cmi/llama-3.1-8b-lora',
        pathSlug: 'bedrock-cmi',
        pathName: 'Bedrock Custom Model Import',
        pathKind: 'CUSTOM_MODEL_IMPORT',
        servedVariant: 'llama-3.1-8b-lora',
        monthlyCost: money('6877.00'),
        costLow: money('5730.83'),
        costHigh: money('6877.00'),
        decodeTokensPerSecond: null,
        leadTimeDays: 0,
        failedAxes: ['CHEAP', 'CONTROLLED'],
        verdicts: [],
      },
    ],
    minimalKeptSets: [
      {
        kept: ['FAST'],
        unlocked: [
          {
            optionId: 'dgx-spark/llama-3.1-8b-lora',
            pathSlug: 'dgx-spark',
            variantSlug: 'llama-3.1-8b-lora',
            monthlyCost: money('122.4012'),
            shortfalls: [{ axis: 'FAST', shortfall: '21 vs 30 tok/s' }],
          },
        ],
      },
      {
        kept: ['CHEAP', 'CONTROLLED'],
        unlocked: [
          {
            optionId: 'bedrock-pt/llama-3.1-8b-lora',
            pathSlug: 'bedrock-pt',
            variantSlug: 'llama-3.1-8b-lora',
            monthlyCost: money('17155.00'),
            shortfalls: [
              { axis: 'CHEAP', shortfall: '$17,155 vs $500 budget' },
              { axis: 'CONTROLLED', shortfall: 'weights stay with the platform' },
            ],
          },
        ],
      },
    ],
    recommendation: {
      optionId: 'dgx-spark/llama-3.1-8b-lora',
      pathSlug: 'dgx-spark',
      variantSlug: 'llama-3.1-8b-lora',
      kept: ['FAST'],
      monthlyCost: money('122.4012'),
      reasons: ['Cheapest path that keeps the weights; decode speed is the constraint you own.'],
    },
    warnings: [
      {
        code: 'ASSUMED_CAPACITY',
        message: 'The Bedrock PT capacity per model unit is an assumption.',
        optionId: 'bedrock-pt/llama-3.1-8b-lora',
        affectsRecommendation: false,
      },
    ],
    breakEvens: [
      {
        optionA: 'dgx-spark/llama-3.1-8b-lora',
        optionB: 'bedrock-cmi/llama-3.1-8b-lora',
        summary: 'dgx-spark and bedrock-cmi cost the same at 12.5 active copy-hours a month',
        crossings: [{ requestsPerMonth: 12_600, cheaperBelow: 'bedrock-cmi/llama-3.1-8b-lora' }],
      },
    ],
  };
}

export function samplePaths(count = 3): ServingPath[] {
  const base: ServingPath[] = [
    {
      slug: 'dgx-spark',
      name: 'DGX Spark (owned)',
      kind: 'OWNED_BOX',
      vendor: 'NVIDIA',
      customWeightsSupported: true,
      weightsExportable: true,
      scaleToZero: false,
      leadTimeDays: 3,
      quotaWall: null,
      region: null,
    },
    {
      slug: 'bedrock-cmi',
      name: 'Bedrock Custom Model Import',
      kind: 'CUSTOM_MODEL_IMPORT',
      vendor: 'AWS',
      customWeightsSupported: true,
      weightsExportable: false,
      scaleToZero: true,
      leadTimeDays: 0,
      quotaWall: null,
      region: 'us-east-1',
    },
    {
      slug: 'bedrock-pt',
      name: 'Bedrock Provisioned Throughput',
      kind: 'PROVISIONED_THROUGHPUT',
      vendor: 'AWS',
      customWeightsSupported: true,
      weightsExportable: false,
      scaleToZero: false,
      leadTimeDays: 0,
      quotaWall: 'Committed terms start at a quota of 0 model units',
      region: 'us-east-1',
    },
  ];
  return Array.from({ length: count }, (_, index) => {
    const template = base[index % base.length] as ServingPath;
    return index < base.length
      ? template
      : { ...template, slug: `${template.slug}-${index}`, name: `${template.name} #${index}` };
  });
}

/** An access path as the API's `AccessPath` type returns it (the fields the bot selects). */
export function sampleAccessPath(accelerator: string) {
  return {
    slug: 'aws-capacity-block-p5',
    name: 'EC2 Capacity Block (p5)',
    vendor: { name: 'AWS' },
    acceleratorClass: accelerator,
    channel: 'SELF_SERVE_FORM',
    region: 'us-east-1',
    minimumCommitment: money('1000.00'),
    minimumCommitmentHours: 24,
    paidUpFront: true,
    cancellable: false,
    quotaNeeded: 'Running On-Demand P instances (L-417A185B)',
    typicalLeadTimeDays: 1,
    figures: { attempts: 2, medianHoursToAnswer: 0.02, successRate: 0.5 },
    attempts: [
      { outcome: 'APPROVED', requestedAt: '2025-09-01T10:00:00Z', answeredAt: '2025-09-01T10:01:00Z' },
      {
        outcome: 'SOFT_DENY_WRONG_LANE',
        requestedAt: '2025-10-02T10:00:00Z',
        answeredAt: '2025-10-02T10:01:00Z',
      },
    ],
  };
}

/** A run in the API's wire shape: `spec`, `progress` and `regression` are JSON, the variant aliased. */
export interface FakeRun {
  id: string;
  status: 'QUEUED' | 'LEASED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  attempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  failureReason: string | null;
  requestedBy: string;
  box: { slug: string; name: string };
  modelVariant: { slug: string; name: string };
  spec: Record<string, unknown>;
  progress: Record<string, unknown> | null;
  results: FakeResult[];
}

export interface FakeResult {
  id: string;
  concurrency: number | null;
  profileKey: string;
  decodeTokensPerSecond: number | null;
  outputTokensPerSecond: number | null;
  ttftP95Ms: number | null;
  regressionVerdict: 'REGRESSED' | 'IMPROVED' | 'UNCHANGED' | 'NOT_ENOUGH_HISTORY' | null;
  regression: Record<string, unknown> | null;
  roofline: { ceilingTokensPerSecond: number | null; efficiency: number | null };
}

export function progressJson(
  completed: number,
  total: number,
  levelIndex = 0,
  levelCount = 1,
): Record<string, unknown> {
  return {
    levelIndex,
    levelCount,
    phase: 'measure',
    completed,
    failed: 0,
    total,
    outputTokens: completed * 256,
  };
}

export class FakeFloorplanApi {
  readonly operations: RecordedOperation[] = [];
  readonly runs = new Map<string, FakeRun>();
  readonly knownVariants = new Set(['llama-3.1-8b-lora', 'qwen3-4b-lora']);
  readonly savedDecisions: Record<string, unknown>[] = [];
  /** Chart requests, with their query strings, as the bot fetched them. */
  readonly chartRequests: string[] = [];
  decision: Decision = sampleDecision();
  paths: ServingPath[] = samplePaths();
  /** Delay before answering any GraphQL operation (a slow API). */
  delayMs = 0;
  /** Answer HTTP 503 to everything (an API that is up but broken). */
  unavailable = false;
  private readonly errorsByOperation = new Map<string, GraphqlErrorSpec>();
  private readonly runByKey = new Map<string, { id: string; input: string }>();
  private readonly progressStreams = new Map<string, Set<ServerResponse>>();
  private server: Server | undefined;
  private baseUrl = '';
  private nextRunNumber = 1;

  get url(): string {
    return `${this.baseUrl}/graphql`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${address.port}`;
  }

  /** Stops listening and drops every open stream: the API is down. */
  async stop(): Promise<void> {
    for (const streams of this.progressStreams.values()) for (const stream of streams) stream.destroy();
    this.progressStreams.clear();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The next calls of `operationName` answer HTTP 200 with a GraphQL error. */
  failOperation(operationName: string, error: GraphqlErrorSpec | undefined): void {
    if (error === undefined) this.errorsByOperation.delete(operationName);
    else this.errorsByOperation.set(operationName, error);
  }

  operationsNamed(name: string): RecordedOperation[] {
    return this.operations.filter((operation) => operation.operationName === name);
  }

  openStreamCount(runId: string): number {
    return this.progressStreams.get(runId)?.size ?? 0;
  }

  addRun(run: FakeRun): void {
    this.runs.set(run.id, run);
  }

  /** Changes the run (a heartbeat, a state change) and streams the whole run to its subscribers, as the API does. */
  updateRun(runId: string, patch: Partial<FakeRun>): void {
    const run = this.runs.get(runId);
    if (run === undefined) throw new Error(`no run ${runId}`);
    const updated: FakeRun = { ...run, ...patch };
    this.runs.set(runId, updated);
    const payload = JSON.stringify({ data: { benchmarkRunProgress: updated } });
    for (const stream of this.progressStreams.get(runId) ?? [])
      stream.write(`event: next\ndata: ${payload}\n\n`);
  }

  /** Ends the run with `patch` (status, results…), tells subscribers and completes their streams. */
  finishRun(runId: string, patch: Partial<FakeRun>): void {
    this.updateRun(runId, { finishedAt: new Date().toISOString(), ...patch });
    for (const stream of this.progressStreams.get(runId) ?? []) stream.end('event: complete\ndata:\n\n');
    this.progressStreams.delete(runId);
  }

  /** Ends every run still queued or running (test cleanup, so no watcher waits forever). */
  finishAllRuns(): void {
    for (const run of this.runs.values()) {
      if (run.status === 'QUEUED' || run.status === 'LEASED') this.finishRun(run.id, { status: 'CANCELLED' });
    }
  }

  /** Drops the subscribers' connections without a `complete`: a stream broken mid-run. */
  breakProgressStreams(runId: string): void {
    for (const stream of this.progressStreams.get(runId) ?? []) stream.destroy();
    this.progressStreams.delete(runId);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    if (request.headers.authorization !== `Bearer ${FAKE_API_TOKEN}`) {
      this.send(response, 401, {
        errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }],
      });
      return;
    }
    if (this.unavailable) {
      response.writeHead(503);
      response.end('Service Unavailable');
      return;
    }
    if (request.method === 'GET' && url.pathname.startsWith('/charts/')) {
      this.chartRequests.push(`${url.pathname}${url.search}`);
      // The same required parameters as src/charts/http.ts, so a bot URL the API would refuse fails here too.
      const required =
        url.pathname === '/charts/cost.png'
          ? ['workloadId']
          : url.pathname === '/charts/history.png'
            ? ['box', 'model', 'profile', 'metric']
            : null;
      const missing = required?.filter((name) => !url.searchParams.get(name));
      if (required === null || (missing !== undefined && missing.length > 0)) {
        response.writeHead(required === null ? 404 : 400, { 'content-type': 'text/plain' });
        response.end(`missing ${missing?.join(', ') ?? 'chart'}\n`);
        return;
      }
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(TINY_PNG);
      return;
    }
    if (request.method !== 'POST' || url.pathname !== '/graphql') {
      response.writeHead(404);
      response.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      operationName: string;
      variables?: Record<string, unknown>;
    };
    const variables = body.variables ?? {};
    this.operations.push({ operationName: body.operationName, variables, query: body.query, at: Date.now() });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));

    const failure = this.errorsByOperation.get(body.operationName);
    if (failure !== undefined) {
      this.send(response, 200, {
        data: null,
        errors: [{ message: failure.message, extensions: { code: failure.code } }],
      });
      return;
    }
    if (body.operationName === 'BenchmarkRunProgress') {
      this.openProgressStream(String(variables.id), request, response);
      return;
    }
    const answer = this.answer(body.operationName, variables);
    this.send(response, 200, answer);
  }

  private openProgressStream(runId: string, request: IncomingMessage, response: ServerResponse): void {
    if (!(request.headers.accept ?? '').includes('text/event-stream')) {
      this.send(response, 400, { errors: [{ message: 'Subscriptions need Accept: text/event-stream' }] });
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    // Like the real API: a subscriber to a run that already ended gets its final state at once.
    const run = this.runs.get(runId);
    if (run === undefined) {
      const payload = JSON.stringify({
        errors: [{ message: `No benchmark run "${runId}".`, extensions: { code: 'NOT_FOUND' } }],
      });
      response.end(`event: next\ndata: ${payload}\n\nevent: complete\ndata:\n\n`);
      return;
    }
    // "The run now, then again on every heartbeat and state change until it finishes."
    response.write(`event: next\ndata: ${JSON.stringify({ data: { benchmarkRunProgress: run } })}\n\n`);
    if (run.status === 'SUCCEEDED' || run.status === 'FAILED' || run.status === 'CANCELLED') {
      response.end('event: complete\ndata:\n\n');
      return;
    }
    const streams = this.progressStreams.get(runId) ?? new Set<ServerResponse>();
    streams.add(response);
    this.progressStreams.set(runId, streams);
    response.on('close', () => streams.delete(response));
  }

  private answer(operationName: string, variables: Record<string, unknown>): unknown {
    const ok = (field: string, value: unknown) => ({ data: { [field]: value } });
    const refuse = (message: string, code: string) => ({
      data: null,
      errors: [{ message, extensions: { code } }],
    });
    switch (operationName) {
      case 'Decide':
        return ok('decide', this.decision);
      case 'ServingPaths':
        return ok(
          'servingPaths',
          this.paths.map((path) => ({ ...path, vendor: { name: path.vendor } })),
        );
      case 'CreateBenchmarkRun': {
        const input = variables.input as {
          box: string;
          variant: string;
          endpointKind: string;
          idempotencyKey: string;
          spec: {
            profile: { kind: string; concurrency?: number[] };
            numPrompts: number;
            inputTokens: number;
            outputTokens: number;
          };
        };
        if (!this.knownVariants.has(input.variant)) {
          return refuse(
            `No model variant "${input.variant}". Known: ${[...this.knownVariants].join(', ')}.`,
            'NOT_FOUND',
          );
        }
        const { idempotencyKey, ...rest } = input;
        const fingerprint = JSON.stringify(rest);
        const existing = this.runByKey.get(idempotencyKey);
        if (existing !== undefined) {
          if (existing.input !== fingerprint)
            return refuse('This idempotency key was used with a different run.', 'CONFLICT');
          return ok('createBenchmarkRun', this.runs.get(existing.id));
        }
        const id = `run${String(this.nextRunNumber++).padStart(4, '0')}`;
        const run: FakeRun = {
          id,
          status: 'QUEUED',
          attempt: 0,
          createdAt: new Date().toISOString(),
          startedAt: null,
          finishedAt: null,
          cancelRequested: false,
          failureReason: null,
          requestedBy: 'token:floorplan-bot',
          box: { slug: input.box, name: 'DGX Spark' },
          modelVariant: { slug: input.variant, name: input.variant },
          spec: {
            endpointKind: input.endpointKind.toLowerCase(),
            model: input.variant,
            profile: { kind: 'concurrency', levels: input.spec.profile.concurrency ?? [] },
            numPrompts: input.spec.numPrompts,
            inputTokens: input.spec.inputTokens,
            outputTokens: input.spec.outputTokens,
          },
          progress: null,
          results: [],
        };
        this.runs.set(id, run);
        this.runByKey.set(idempotencyKey, { id, input: fingerprint });
        return ok('createBenchmarkRun', run);
      }
      case 'CancelBenchmarkRun': {
        const id = String(variables.id);
        const run = this.runs.get(id);
        if (run === undefined) return refuse(`No benchmark run "${id}".`, 'NOT_FOUND');
        const cancelled: FakeRun =
          run.status === 'QUEUED'
            ? { ...run, status: 'CANCELLED', cancelRequested: true }
            : { ...run, cancelRequested: true };
        this.runs.set(id, cancelled);
        return ok('cancelBenchmarkRun', cancelled);
      }
      case 'BenchmarkRun': {
        const run = this.runs.get(String(variables.id));
        return run === undefined
          ? refuse(`No benchmark run "${String(variables.id)}".`, 'NOT_FOUND')
          : ok('benchmarkRun', run);
      }
      case 'BenchmarkRuns': {
        const status = variables.status as string | null | undefined;
        const first = Number(variables.first ?? 10);
        const runs = [...this.runs.values()]
          .filter((run) => !status || run.status === status)
          .slice(0, first);
        // The list selection has no results; leave them out as the real API would.
        return ok('benchmarkRuns', { edges: runs.map(({ results: _results, ...node }) => ({ node })) });
      }
      case 'AccessPaths':
        return ok('accessPaths', [sampleAccessPath(String(variables.accelerator))]);
      case 'SaveDecision': {
        const workload = variables.workload as Record<string, unknown>;
        const saved = {
          id: `dec${this.savedDecisions.length + 1}`,
          createdAt: new Date().toISOString(),
          createdBy: 'token:floorplan-bot',
          name: variables.name,
          keep: (variables.keep as string[] | null) ?? [],
          workload,
          decision: { ...this.decision, id: `dec${this.savedDecisions.length + 1}` },
        };
        this.savedDecisions.push(saved);
        return ok('saveDecision', saved);
      }
      case 'RecentDecisions':
        return ok(
          'savedDecisions',
          [...this.savedDecisions].reverse().slice(0, Number(variables.last ?? 10)),
        );
      default:
        return {
          errors: [
            {
              message: `Unknown operation ${operationName}`,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        };
    }
  }
}
