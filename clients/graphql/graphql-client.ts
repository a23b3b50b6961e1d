import { z } from 'zod';
import { loadOperationDocuments, type OperationName } from './operations';
import { ServerSentEventParser } from './sse';
import {
  type AccessPath,
  type Axis,
  type BenchmarkResultSummary,
  type BenchmarkRun,
  type Decision,
  type FloorplanApi,
  FloorplanApiError,
  type FloorplanApiErrorKind,
  type RunProgress,
  type RunProgressHandlers,
  type RunSpecSummary,
  type SavedDecision,
  type ServingPath,
  type Unsubscribe,
  type WorkloadInput,
} from './types';

/**
 * floorplan's GraphQL API over HTTP, with the bot's service token. Every response is checked twice:
 * the body (a 200 can carry `errors`) and its shape (zod), so a schema drift reads as a clear error
 * naming the operation instead of `undefined` deep inside a Block Kit builder.
 */
export interface GraphqlFloorplanApiOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. Charts are fetched from its origin. */
  url: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  documents?: Map<string, string>;
}

const moneySchema = z.object({ amount: z.string().regex(/^-?\d+(\.\d+)?$/), currency: z.string() });
const axisSchema = z.enum(['FAST', 'CHEAP', 'HIGH_CONFIDENCE', 'CONTROLLED', 'AVAILABLE']);
const pathKindSchema = z.enum([
  'OWNED_BOX',
  'PROVISIONED_THROUGHPUT',
  'CUSTOM_MODEL_IMPORT',
  'NATIVE_FINE_TUNE',
  'ON_DEMAND_TOKENS',
  'RENTED_INSTANCE',
]);
const runStatusSchema = z.enum(['QUEUED', 'LEASED', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

const pathOptionSchema = z.object({
  optionId: z.string(),
  pathSlug: z.string(),
  pathName: z.string(),
  pathKind: z.string(),
  servedVariant: z.string(),
  monthlyCost: moneySchema,
  costLow: moneySchema.nullable(),
  costHigh: moneySchema.nullable(),
  decodeTokensPerSecond: z.number().nullable(),
  leadTimeDays: z.number(),
  failedAxes: z.array(axisSchema),
  // Absent in the lighter selections (saved decisions): nothing to show, not an error.
  verdicts: z
    .array(
      z.object({
        axis: axisSchema,
        pass: z.boolean(),
        sentence: z.string(),
        shortfall: z.string().nullable(),
      }),
    )
    .default([]),
});

const recommendationSchema = z.object({
  optionId: z.string(),
  pathSlug: z.string(),
  variantSlug: z.string(),
  kept: z.array(axisSchema),
  monthlyCost: moneySchema,
  reasons: z.array(z.string()),
});

const decisionSchema = z.object({
  id: z.string().nullable(),
  requestsPerMonth: z.number(),
  paths: z.array(pathOptionSchema),
  minimalKeptSets: z
    .array(
      z.object({
        kept: z.array(axisSchema),
        unlocked: z.array(
          z.object({
            optionId: z.string(),
            pathSlug: z.string(),
            variantSlug: z.string(),
            monthlyCost: moneySchema,
            shortfalls: z.array(z.object({ axis: axisSchema, shortfall: z.string() })),
          }),
        ),
      }),
    )
    .default([]),
  recommendation: recommendationSchema.nullable(),
  warnings: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        optionId: z.string(),
        affectsRecommendation: z.boolean(),
      }),
    )
    .default([]),
  breakEvens: z.array(
    z.object({
      optionA: z.string(),
      optionB: z.string(),
      summary: z.string(),
      crossings: z.array(z.object({ requestsPerMonth: z.number(), cheaperBelow: z.string() })),
    }),
  ),
}) satisfies z.ZodType<Decision, unknown>;

const servingPathSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    kind: pathKindSchema,
    vendor: z.object({ name: z.string() }),
    customWeightsSupported: z.boolean(),
    weightsExportable: z.boolean(),
    scaleToZero: z.boolean(),
    leadTimeDays: z.number().nullable(),
    quotaWall: z.string().nullable(),
    region: z.string().nullable(),
  })
  .transform((path): ServingPath => ({ ...path, vendor: path.vendor.name }));

/** The run spec is JSON in the schema; read what the bot shows and tolerate the rest. */
const specSchema = z
  .looseObject({
    profile: z.looseObject({ kind: z.string(), levels: z.array(z.number()).optional() }).optional(),
    numPrompts: z.number().optional(),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
  })
  .catch({})
  .transform(
    (spec): RunSpecSummary => ({
      profileKind: spec.profile?.kind ?? 'unknown',
      concurrency: spec.profile?.kind === 'concurrency' ? (spec.profile.levels ?? []) : [],
      numPrompts: spec.numPrompts ?? null,
      inputTokens: spec.inputTokens ?? null,
      outputTokens: spec.outputTokens ?? null,
    }),
  );

/** Heartbeat progress is JSON too; anything unreadable shows as "no progress yet" rather than failing. */
const progressSchema = z
  .looseObject({
    levelIndex: z.number(),
    levelCount: z.number(),
    phase: z.string(),
    completed: z.number(),
    failed: z.number().default(0),
    total: z.number(),
  })
  .nullable()
  .catch(null)
  .transform((progress): RunProgress | null =>
    progress === null
      ? null
      : {
          levelIndex: progress.levelIndex,
          levelCount: progress.levelCount,
          phase: progress.phase,
          completed: progress.completed,
          failed: progress.failed,
          total: progress.total,
        },
  );

/** The stored regression JSON: the decode-rate assessment is the one the bot reports. */
const regressionSchema = z
  .looseObject({
    metrics: z.looseObject({
      decodeTokensPerSecond: z
        .looseObject({
          percentChange: z.number().nullable().optional(),
          zScore: z.number().nullable().optional(),
          historyUsed: z.number().optional(),
          reason: z.string().optional(),
        })
        .nullable()
        .optional(),
    }),
  })
  .nullable()
  .catch(null)
  .transform((regression): BenchmarkResultSummary['regression'] => {
    const decode = regression?.metrics.decodeTokensPerSecond;
    if (decode === undefined || decode === null) return null;
    return {
      percentChange: decode.percentChange ?? null,
      zScore: decode.zScore ?? null,
      historyUsed: decode.historyUsed ?? null,
      reason: decode.reason ?? null,
    };
  });

const resultSchema = z
  .object({
    id: z.string(),
    concurrency: z.number().nullable(),
    profileKey: z.string(),
    decodeTokensPerSecond: z.number().nullable(),
    outputTokensPerSecond: z.number().nullable(),
    ttftP95Ms: z.number().nullable(),
    regressionVerdict: z.enum(['REGRESSED', 'IMPROVED', 'UNCHANGED', 'NOT_ENOUGH_HISTORY']).nullable(),
    regression: regressionSchema,
    roofline: z.object({ ceilingTokensPerSecond: z.number().nullable(), efficiency: z.number().nullable() }),
  })
  .transform(
    ({ roofline, ...result }): BenchmarkResultSummary => ({
      ...result,
      rooflineCeilingTokensPerSecond: roofline.ceilingTokensPerSecond,
      rooflineEfficiency: roofline.efficiency,
    }),
  );

const runSchema = z.object({
  id: z.string(),
  status: runStatusSchema,
  attempt: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  failureReason: z.string().nullable(),
  requestedBy: z.string(),
  box: z.object({ slug: z.string(), name: z.string() }),
  modelVariant: z.object({ slug: z.string(), name: z.string() }),
  spec: specSchema,
  progress: progressSchema,
  // Lists select no results (depth and weight); a run read alone has them.
  results: z.array(resultSchema).default([]),
}) satisfies z.ZodType<BenchmarkRun, unknown>;

const accessPathSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    vendor: z.object({ name: z.string() }),
    acceleratorClass: z.string(),
    channel: z.string(),
    region: z.string().nullable(),
    minimumCommitment: moneySchema.nullable(),
    minimumCommitmentHours: z.number().nullable(),
    paidUpFront: z.boolean(),
    cancellable: z.boolean(),
    quotaNeeded: z.string().nullable(),
    typicalLeadTimeDays: z.number().nullable(),
    figures: z.object({
      attempts: z.number(),
      medianHoursToAnswer: z.number().nullable(),
      successRate: z.number().nullable(),
    }),
    attempts: z.array(
      z.object({ outcome: z.string(), requestedAt: z.string(), answeredAt: z.string().nullable() }),
    ),
  })
  .transform(({ vendor, figures, attempts, ...path }): AccessPath => {
    const newest = [...attempts].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
    return {
      ...path,
      vendor: vendor.name,
      attempts: figures.attempts,
      medianHoursToAnswer: figures.medianHoursToAnswer,
      successRate: figures.successRate,
      lastAttempt: newest ?? null,
    };
  });

const savedDecisionSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    keep: z.array(z.string()),
    workload: z.looseObject({ model: z.string().optional() }).catch({}),
    decision: z.object({
      recommendation: z.object({ pathSlug: z.string(), monthlyCost: moneySchema }).nullable(),
    }),
  })
  .transform(
    ({ workload, decision, ...saved }): SavedDecision => ({
      ...saved,
      model: workload.model ?? null,
      recommendation: decision.recommendation,
    }),
  );

const savedDecisionWithAnswerSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    keep: z.array(z.string()),
    workload: z.looseObject({ model: z.string().optional() }).catch({}),
    decision: decisionSchema,
  })
  .transform(({ workload, decision, ...saved }): SavedDecision & { decision: Decision } => ({
    ...saved,
    model: workload.model ?? null,
    recommendation:
      decision.recommendation === null
        ? null
        : { pathSlug: decision.recommendation.pathSlug, monthlyCost: decision.recommendation.monthlyCost },
    decision,
  }));

const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z.object({ code: z.string().optional() }).loose().optional(),
});
const graphqlResponseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
});

const ERROR_KIND_BY_CODE: Record<string, FloorplanApiErrorKind> = {
  BAD_USER_INPUT: 'invalid-input',
  GRAPHQL_VALIDATION_FAILED: 'failed',
  CONFLICT: 'invalid-input',
  NOT_FOUND: 'not-found',
  FORBIDDEN: 'forbidden',
  UNAUTHENTICATED: 'forbidden',
};

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const code = cause !== undefined && 'code' in cause ? String(cause.code) : undefined;
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'it did not answer in time';
    return code ?? cause?.message ?? error.message;
  }
  return String(error);
}

export function createGraphqlFloorplanApi(options: GraphqlFloorplanApiOptions): FloorplanApi {
  const fetchFunction = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const documents = options.documents ?? loadOperationDocuments();
  const endpoint = new URL(options.url);

  const documentFor = (operationName: OperationName): string => {
    const document = documents.get(operationName);
    if (document === undefined)
      throw new FloorplanApiError(
        'failed',
        `The bot has no ${operationName} operation document.`,
        operationName,
      );
    return document;
  };

  const headers = (accept: string): Record<string, string> => ({
    'content-type': 'application/json',
    accept,
    authorization: `Bearer ${options.token}`,
  });

  async function execute<Output>(
    operationName: OperationName,
    variables: Record<string, unknown>,
    field: string,
    schema: z.ZodType<Output>,
  ): Promise<Output> {
    const body = JSON.stringify({ query: documentFor(operationName), variables, operationName });
    let response: Response;
    try {
      response = await fetchFunction(endpoint, {
        method: 'POST',
        headers: headers('application/graphql-response+json, application/json'),
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new FloorplanApiError(
        'unavailable',
        `The floorplan API at ${endpoint.origin} is not reachable (${describeNetworkError(error)}).`,
        operationName,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new FloorplanApiError(
        'unavailable',
        `The floorplan API broke off its answer (${describeNetworkError(error)}).`,
        operationName,
      );
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(text);
    } catch {
      parsedJson = undefined;
    }
    const envelope = graphqlResponseSchema.safeParse(parsedJson);
    const errors = envelope.success ? (envelope.data.errors ?? []) : [];
    if (errors.length > 0) {
      const code = errors[0]?.extensions?.code ?? '';
      const kind = ERROR_KIND_BY_CODE[code] ?? (response.status === 401 ? 'forbidden' : 'failed');
      throw new FloorplanApiError(kind, errors.map((error) => error.message).join('; '), operationName);
    }
    if (response.status === 401 || response.status === 403) {
      throw new FloorplanApiError(
        'forbidden',
        `The floorplan API refused the bot's service token (HTTP ${response.status}).`,
        operationName,
      );
    }
    if (response.status >= 500) {
      throw new FloorplanApiError(
        'unavailable',
        `The floorplan API answered HTTP ${response.status}.`,
        operationName,
      );
    }
    if (!envelope.success || !response.ok) {
      throw new FloorplanApiError(
        'failed',
        `The floorplan API answered ${operationName} with HTTP ${response.status} and no GraphQL result.`,
        operationName,
      );
    }
    const data = envelope.data.data;
    if (data === null || data === undefined) {
      throw new FloorplanApiError(
        'failed',
        `The floorplan API answered ${operationName} without data.`,
        operationName,
      );
    }
    const value = schema.safeParse(data[field]);
    if (!value.success) {
      const issue = value.error.issues[0];
      throw new FloorplanApiError(
        'failed',
        `The floorplan API's answer to ${operationName} did not have the expected shape (${field}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`,
        operationName,
      );
    }
    return value.data;
  }

  const connectionOf = <Node>(node: z.ZodType<Node>) =>
    z
      .object({ edges: z.array(z.object({ node })) })
      .transform((connection) => connection.edges.map((edge) => edge.node));

  function subscribeRunProgress(id: string, handlers: RunProgressHandlers): Unsubscribe {
    const controller = new AbortController();
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      handlers.onEnd(error);
    };
    (async () => {
      const response = await fetchFunction(endpoint, {
        method: 'POST',
        headers: headers('text/event-stream'),
        body: JSON.stringify({
          query: documentFor('BenchmarkRunProgress'),
          variables: { id },
          operationName: 'BenchmarkRunProgress',
        }),
        signal: controller.signal,
      });
      if (
        !response.ok ||
        response.body === null ||
        !(response.headers.get('content-type') ?? '').includes('text/event-stream')
      ) {
        const detail = await response.text().catch(() => '');
        throw new FloorplanApiError(
          response.status >= 500 ? 'unavailable' : 'failed',
          `The progress stream for run ${id} did not open (HTTP ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}).`,
          'BenchmarkRunProgress',
        );
      }
      const parser = new ServerSentEventParser();
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (event.event === 'complete') {
            end();
            controller.abort();
            return;
          }
          if (event.event !== 'next' && event.event !== 'message') continue;
          let payload: unknown;
          try {
            payload = JSON.parse(event.data);
          } catch {
            continue;
          }
          const envelope = graphqlResponseSchema.safeParse(payload);
          if (!envelope.success) continue;
          if (envelope.data.errors !== undefined && envelope.data.errors.length > 0) {
            throw new FloorplanApiError(
              'failed',
              envelope.data.errors.map((error) => error.message).join('; '),
              'BenchmarkRunProgress',
            );
          }
          const run = runSchema.safeParse(envelope.data.data?.benchmarkRunProgress);
          if (run.success) handlers.onRun(run.data);
        }
      }
      end();
    })().catch((error: unknown) => {
      if (controller.signal.aborted) {
        end();
        return;
      }
      end(
        error instanceof FloorplanApiError
          ? error
          : new FloorplanApiError(
              'unavailable',
              `The progress stream for run ${id} broke (${describeNetworkError(error)}).`,
              'BenchmarkRunProgress',
            ),
      );
    });
    return () => {
      controller.abort();
      end();
    };
  }

  return {
    decide: (workload: WorkloadInput, keep: Axis[]) =>
      execute('Decide', { workload, keep }, 'decide', decisionSchema),
    listPaths: () => execute('ServingPaths', {}, 'servingPaths', z.array(servingPathSchema)),
    createBenchmarkRun: (input) =>
      execute(
        'CreateBenchmarkRun',
        {
          input: {
            box: input.box,
            variant: input.modelVariant,
            endpointKind: 'CHAT',
            idempotencyKey: input.idempotencyKey,
            ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
            spec: {
              profile: { kind: 'CONCURRENCY', concurrency: input.profile.concurrency },
              numPrompts: input.profile.prompts,
              inputTokens: input.profile.inputTokens,
              outputTokens: input.profile.outputTokens,
            },
          },
        },
        'createBenchmarkRun',
        runSchema,
      ),
    cancelBenchmarkRun: (id) => execute('CancelBenchmarkRun', { id }, 'cancelBenchmarkRun', runSchema),
    benchmarkRun: async (id) => {
      try {
        return await execute('BenchmarkRun', { id }, 'benchmarkRun', runSchema);
      } catch (error) {
        if (error instanceof FloorplanApiError && error.kind === 'not-found') return null;
        throw error;
      }
    },
    benchmarkRuns: (filter) =>
      execute(
        'BenchmarkRuns',
        { first: filter.first, status: filter.status ?? null },
        'benchmarkRuns',
        connectionOf(runSchema),
      ),
    subscribeRunProgress,
    accessPaths: (accelerator, region) =>
      execute(
        'AccessPaths',
        { accelerator, region: region ?? null },
        'accessPaths',
        z.array(accessPathSchema),
      ),
    saveDecision: (workload, keep, name) =>
      execute('SaveDecision', { workload, keep, name }, 'saveDecision', savedDecisionWithAnswerSchema),
    recentDecisions: (last) =>
      execute('RecentDecisions', { last }, 'savedDecisions', z.array(savedDecisionSchema)),
    chartPng: async (path) => {
      const url = new URL(path, endpoint);
      if (url.origin !== endpoint.origin) {
        throw new FloorplanApiError('failed', `Refusing to fetch a chart from another host (${url.origin}).`);
      }
      let response: Response;
      try {
        response = await fetchFunction(url, {
          headers: { authorization: `Bearer ${options.token}`, accept: 'image/png' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new FloorplanApiError(
          'unavailable',
          `The chart service is not reachable (${describeNetworkError(error)}).`,
        );
      }
      if (!response.ok) {
        throw new FloorplanApiError(
          response.status >= 500 ? 'unavailable' : 'failed',
          `The chart ${url.pathname} answered HTTP ${response.status}.`,
        );
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      if (!bytes.subarray(0, 8).equals(pngSignature)) {
        throw new FloorplanApiError('failed', `The chart ${url.pathname} is not a PNG.`);
      }
      return bytes;
    },
  };
}
