import { Repeater } from 'graphql-yoga';
import { z } from 'zod';
import { actorOf, type Identity } from '../../../app/auth/identity';
import {
  cancelRun,
  createRun,
  failRun,
  heartbeat,
  historyOf,
  leaseNextRun,
  releaseRun,
  reportResult,
  TERMINAL_STATUSES,
} from '../../../app/runs/queue';
import { reportedLevelsSchema, runProgressSchema, storedProgressOf } from '../../../app/runs/report';
import { runQueueFor } from '../../../app/runs/runtime';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../domain/errors';
import {
  type BenchmarkRunSpec,
  type BenchmarkRunSpecInput,
  benchmarkRunSpecSchema,
  storedRunSpecOf,
} from '../../../domain/run-spec';
import type { EndpointKind, PrismaClient, RunStatus } from '../../../generated/prisma/client';
import { builder, refusalFor } from '../builder';
import { parseInput } from '../errors';
import { cappedPageSize } from '../page-size';
import { EndpointKindEnum, RunStatusEnum } from './enums';
import {
  BenchmarkRunProgressInput,
  BenchmarkRunProgressRef,
  BenchmarkRunSpecRef,
  LoadProfileKindEnum,
  RunAttemptRef,
} from './run-spec';

builder.prismaObject('BenchmarkRun', {
  authScopes: { viewer: true, runner: true },
  description:
    'A benchmark job on a box: queued, leased by the box runner, then finished, failed or cancelled.',
  fields: (t) => ({
    id: t.exposeID('id'),
    box: t.relation('box'),
    variant: t.relation('variant'),
    endpointKind: t.expose('endpointKind', { type: EndpointKindEnum }),
    spec: t.field({
      type: BenchmarkRunSpecRef,
      description: 'The validated run spec the runner executes.',
      resolve: (run) => storedRunSpecOf(run.spec),
    }),
    status: t.expose('status', { type: RunStatusEnum }),
    attempt: t.exposeInt('attempt'),
    maxAttempts: t.exposeInt('maxAttempts'),
    leasedBy: t.exposeString('leasedBy', { nullable: true }),
    leaseExpiresAt: t.expose('leaseExpiresAt', { type: 'DateTime', nullable: true }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', nullable: true }),
    progress: t.field({
      type: BenchmarkRunProgressRef,
      nullable: true,
      description: "The runner's last heartbeat; null before the first one.",
      resolve: (run) => storedProgressOf(run.progress),
    }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    attemptHistory: t.field({
      type: [RunAttemptRef],
      description: 'How each earlier attempt ended, oldest first.',
      resolve: (run) => historyOf(run.attemptHistory),
    }),
    requestedBy: t.exposeString('requestedBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    results: t.relation('results', { query: { orderBy: { concurrency: 'asc' } } }),
    cancelledBy: t.string({
      nullable: true,
      description:
        'Who asked to cancel the run (as recorded in the audit, e.g. "token:slack-bot for slack:U024BE7LH"); null when nobody did.',
      select: { id: true, cancelRequested: true },
      resolve: async (run, _args, { prisma }) => {
        if (!run.cancelRequested) return null;
        const event = await prisma.auditEvent.findFirst({
          where: { entityType: 'BenchmarkRun', entityId: run.id, action: 'benchmark-run.cancel' },
          orderBy: { at: 'desc' },
          select: { actor: true },
        });
        return event?.actor ?? null;
      },
    }),
  }),
});

/** Runs that have ended: App Home's "recent runs" and `runs finished`. */
const runListWhere = (args: {
  status?: RunStatus | null | undefined;
  statuses?: readonly RunStatus[] | null | undefined;
  box?: string | null | undefined;
}) => ({
  ...(args.status ? { status: args.status } : {}),
  ...(args.statuses && args.statuses.length > 0 ? { status: { in: [...args.statuses] } } : {}),
  ...(args.box ? { box: { slug: args.box } } : {}),
});

builder.queryFields((t) => ({
  benchmarkRuns: t.prismaConnection({
    type: 'BenchmarkRun',
    cursor: 'id',
    authScopes: { viewer: true, runner: true },
    maxSize: cappedPageSize,
    args: {
      status: t.arg({ type: RunStatusEnum, required: false }),
      statuses: t.arg({
        type: [RunStatusEnum],
        required: false,
        description: 'Any of these statuses, e.g. [SUCCEEDED, FAILED, CANCELLED] for runs that ended.',
      }),
      box: t.arg.string({ required: false, description: 'Box slug' }),
    },
    totalCount: (_connection, args, { prisma }) => prisma.benchmarkRun.count({ where: runListWhere(args) }),
    resolve: (query, _root, args, { prisma }) =>
      prisma.benchmarkRun.findMany({
        ...query,
        where: runListWhere(args),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  benchmarkRun: t.prismaField({
    type: 'BenchmarkRun',
    authScopes: { viewer: true, runner: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, { prisma }) =>
      (await prisma.benchmarkRun.findUnique({ ...query, where: { id: String(id) } })) ??
      Promise.reject(
        new NotFoundError(
          'benchmark run',
          String(id),
          'List them with { benchmarkRuns { edges { node { id } } } }.',
        ),
      ),
  }),
}));

// --- Live runs: triggering and cancelling (operators), the runner protocol, progress over SSE ---

const SloTargetsInput = builder.inputType('SloTargetsInput', {
  description: 'Latency objectives in ms for SLO_SEARCH; give at least one.',
  fields: (t) => ({
    ttftP95Ms: t.float({ required: false }),
    ttftP99Ms: t.float({ required: false }),
    tpotMeanMs: t.float({ required: false }),
    tpotP99Ms: t.float({ required: false }),
    itlP99Ms: t.float({ required: false }),
    e2elP99Ms: t.float({ required: false }),
  }),
});

const LoadProfileInput = builder.inputType('LoadProfileInput', {
  fields: (t) => ({
    kind: t.field({ type: LoadProfileKindEnum, required: true }),
    concurrency: t.intList({ required: false, description: 'CONCURRENCY: the levels, e.g. [1, 8, 32].' }),
    requestsPerSecond: t.float({
      required: false,
      description: 'RATE: requests per second; leave out with infiniteRate.',
    }),
    infiniteRate: t.boolean({ required: false, description: 'RATE: send everything at once (rate inf).' }),
    burstiness: t.float({
      required: false,
      description: 'RATE and SWEEP: gamma shape of the gaps (default 1).',
    }),
    maxConcurrency: t.int({
      required: false,
      description:
        'RATE and SWEEP: cap on requests in flight; SLO_SEARCH: highest level tried (default 256).',
    }),
    intermediateRates: t.int({
      required: false,
      description: 'SWEEP: rates between synchronous and maximum (default 4).',
    }),
    slos: t.field({ type: SloTargetsInput, required: false, description: 'SLO_SEARCH: the objectives.' }),
    startConcurrency: t.int({ required: false, description: 'SLO_SEARCH: first level (default 1).' }),
    growthFactor: t.float({
      required: false,
      description: 'SLO_SEARCH: multiplier between climbing levels (default 2).',
    }),
    precision: t.int({
      required: false,
      description: 'SLO_SEARCH: stop bisecting this many streams apart (default 1, the exact answer).',
    }),
    stopEarly: t.boolean({
      required: false,
      description: 'SLO_SEARCH: stop a level once it is certain to miss (default true).',
    }),
  }),
});

const ServiceLevelObjectivesInput = builder.inputType('ServiceLevelObjectivesInput', {
  fields: (t) => ({
    ttftMs: t.float({ required: false }),
    tpotMs: t.float({ required: false }),
    e2elMs: t.float({ required: false }),
  }),
});

const RunSpecInputRef = builder.inputType('BenchmarkRunSpecInput', {
  description: 'What to measure (vLLM bench serve semantics). The runner knows its endpoint URL.',
  fields: (t) => ({
    profile: t.field({ type: LoadProfileInput, required: true }),
    numPrompts: t.int({ required: true, description: 'Measured requests per level.' }),
    inputTokens: t.int({ required: true, description: 'Synthetic prompt length in tokens.' }),
    outputTokens: t.int({ required: true, description: 'max_tokens per request (with ignore_eos).' }),
    warmupRequests: t.int({
      required: false,
      description: 'Unmeasured requests before each level (default 1).',
    }),
    model: t.string({ required: false, description: 'Served model name; defaults to the variant slug.' }),
    slos: t.field({ type: ServiceLevelObjectivesInput, required: false }),
    datasetPath: t.string({ required: false, description: "A JSONL prompt file on the runner's machine." }),
    seed: t.int({ required: false }),
    idleTimeoutS: t.float({
      required: false,
      description:
        "A request with no byte for this long, before its first chunk or between chunks, fails (default 15; the runner's --timeout overrides it).",
    }),
    requestTimeoutS: t.float({ required: false }),
    serverConfigurations: t.stringList({
      required: false,
      description:
        "Named server configurations the box's runner knows (launch commands): each is started, measured and stopped in turn; each result records its configuration.",
    }),
  }),
});

const CreateBenchmarkRunInput = builder.inputType('CreateBenchmarkRunInput', {
  fields: (t) => ({
    box: t.string({ required: true, description: 'Box slug, e.g. dgx-spark.' }),
    variant: t.string({ required: true, description: 'Model variant slug.' }),
    endpointKind: t.field({ type: EndpointKindEnum, required: true }),
    spec: t.field({ type: RunSpecInputRef, required: true }),
    idempotencyKey: t.string({
      required: true,
      description:
        'Sending the same key again returns the same run; the same key with different input is refused.',
    }),
    onBehalfOf: t.string({
      required: false,
      description:
        'Who asked, when a service token triggers for a person (e.g. "slack:U024BE7LH"); kept in requestedBy and the audit.',
    }),
  }),
});

const ReportedLevelInput = builder.inputType('BenchmarkLevelResultInput', {
  fields: (t) => ({
    summary: t.field({
      type: 'JSON',
      required: true,
      description: 'The canonical summary of one load level.',
    }),
    records: t.field({
      type: 'JSON',
      required: false,
      description: 'Raw per-request records, when small enough to send.',
    }),
  }),
});

const createRunSchema = z.object({
  box: z.string().trim().min(1, { error: 'must name a box' }),
  variant: z.string().trim().min(1, { error: 'must name a model variant' }),
  idempotencyKey: z
    .string()
    .trim()
    .min(8, { error: 'must be at least 8 characters (a UUID is a good key)' })
    .max(200, { error: 'must be at most 200 characters' }),
  onBehalfOf: z.string().trim().min(1).max(120).nullish(),
});

type SpecInput = typeof RunSpecInputRef.$inferInput;

/** GraphQL has no input unions: the profile's kind picks which of its fields apply. */
function runSpecFromInput(
  spec: SpecInput,
  endpointKind: EndpointKind,
  variantSlug: string,
): BenchmarkRunSpecInput {
  const profile = spec.profile;
  const profileSpec =
    profile.kind === 'CONCURRENCY'
      ? { kind: 'concurrency' as const, levels: profile.concurrency ?? [] }
      : profile.kind === 'RATE'
        ? {
            kind: 'rate' as const,
            requestsPerSecond: profile.infiniteRate
              ? ('inf' as const)
              : (profile.requestsPerSecond ?? Number.NaN),
            ...(profile.burstiness != null ? { burstiness: profile.burstiness } : {}),
            ...(profile.maxConcurrency != null ? { maxConcurrency: profile.maxConcurrency } : {}),
          }
        : profile.kind === 'SLO_SEARCH'
          ? {
              kind: 'slo-search' as const,
              slos: withoutNulls(profile.slos ?? {}),
              ...(profile.startConcurrency != null ? { startConcurrency: profile.startConcurrency } : {}),
              ...(profile.growthFactor != null ? { growthFactor: profile.growthFactor } : {}),
              ...(profile.maxConcurrency != null ? { maxConcurrency: profile.maxConcurrency } : {}),
              ...(profile.precision != null ? { precision: profile.precision } : {}),
              ...(profile.stopEarly != null ? { stopEarly: profile.stopEarly } : {}),
            }
          : {
              kind: 'sweep' as const,
              ...(profile.intermediateRates != null ? { intermediateRates: profile.intermediateRates } : {}),
              ...(profile.burstiness != null ? { burstiness: profile.burstiness } : {}),
              ...(profile.maxConcurrency != null ? { maxConcurrency: profile.maxConcurrency } : {}),
            };
  const slos = spec.slos ? withoutNulls(spec.slos) : undefined;
  return {
    endpointKind: endpointKind === 'CHAT' ? 'chat' : 'completions',
    model: spec.model ?? variantSlug,
    profile: profileSpec,
    numPrompts: spec.numPrompts,
    inputTokens: spec.inputTokens,
    outputTokens: spec.outputTokens,
    ...(spec.warmupRequests != null ? { warmupRequests: spec.warmupRequests } : {}),
    ...(slos ? { slos } : {}),
    ...(spec.datasetPath != null ? { dataset: { kind: 'jsonl' as const, path: spec.datasetPath } } : {}),
    ...(spec.seed != null ? { seed: spec.seed } : {}),
    ...(spec.idleTimeoutS != null ? { idleTimeoutS: spec.idleTimeoutS } : {}),
    ...(spec.requestTimeoutS != null ? { requestTimeoutS: spec.requestTimeoutS } : {}),
    ...(spec.serverConfigurations != null ? { serverConfigurations: spec.serverConfigurations } : {}),
  };
}

/** GraphQL sends null for a field left out; the run spec wants it absent. */
function withoutNulls(values: Record<string, number | null | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, number] => entry[1] != null),
  );
}

function parseRunSpec(input: unknown): BenchmarkRunSpec {
  const parsed = benchmarkRunSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({
      path: ['input', 'spec', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
    'Invalid run spec',
  );
}

/** Runner calls act only within the token's box. */
function runnerBoxOf(identity: Identity | null): string {
  if (!identity?.boxId) throw new ForbiddenError('Runner calls need a runner token scoped to a box.');
  return identity.boxId;
}

/** A runner call on a run, fenced by its attempt number and scoped to the token's box. */
function fencedCallOf(args: { id: string | number; attempt: number }, identity: Identity | null) {
  return { runId: String(args.id), attempt: args.attempt, boxId: runnerBoxOf(identity) };
}

builder.mutationFields((t) => {
  /** A runner call that ends its attempt with a reason (failed, or handed back); answers the run as it now stands. */
  const endAttempt = (description: string, end: typeof failRun) =>
    t.prismaField({
      type: 'BenchmarkRun',
      description,
      authScopes: { runner: true },
      args: {
        id: t.arg.id({ required: true }),
        attempt: t.arg.int({ required: true }),
        reason: t.arg.string({ required: true }),
      },
      resolve: async (query, _root, args, { prisma, identity }) => {
        const call = fencedCallOf(args, identity);
        await end(runQueueFor(prisma), call, args.reason.slice(0, MAX_REASON_LENGTH));
        return prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: call.runId } });
      },
    });
  return {
    createBenchmarkRun: t.prismaField({
      type: 'BenchmarkRun',
      description: 'Queue a benchmark run for a box (operator). Idempotent on idempotencyKey. Audited.',
      authScopes: { operator: true },
      args: { input: t.arg({ type: CreateBenchmarkRunInput, required: true }) },
      resolve: async (query, _root, { input }, { prisma, identity }) => {
        const checked = parseInput(createRunSchema, input);
        const spec = parseRunSpec(runSpecFromInput(input.spec, input.endpointKind, checked.variant));
        const { run } = await createRun(runQueueFor(prisma), {
          boxSlug: checked.box,
          variantSlug: checked.variant,
          endpointKind: input.endpointKind,
          spec,
          idempotencyKey: checked.idempotencyKey,
          requestedBy: checked.onBehalfOf
            ? `${actorOf(identity)} for ${checked.onBehalfOf}`
            : actorOf(identity),
        });
        return prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
      },
    }),
    cancelBenchmarkRun: t.prismaField({
      type: 'BenchmarkRun',
      description:
        'Cancel a run (operator): a queued run at once, a leased one when its runner next checks in. Audited.',
      authScopes: { operator: true },
      args: {
        id: t.arg.id({ required: true }),
        onBehalfOf: t.arg.string({
          required: false,
          description:
            'Who asked, when a service token cancels for a person (e.g. "slack:U024BE7LH"); kept in the audit and cancelledBy.',
        }),
      },
      resolve: async (query, _root, { id, onBehalfOf }, { prisma, identity }) => {
        const person = parseInput(z.string().trim().min(1).max(120).nullish(), onBehalfOf, 'onBehalfOf');
        const actor = person ? `${actorOf(identity)} for ${person}` : actorOf(identity);
        const run = await cancelRun(runQueueFor(prisma), String(id), actor);
        return prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
      },
    }),
    leaseBenchmarkRun: t.prismaField({
      type: 'BenchmarkRun',
      nullable: true,
      description: "Runner: lease the next queued run of the token's box; null when there is none.",
      authScopes: { runner: true },
      args: {
        box: t.arg.string({ required: true, description: "The runner's box slug; must be its token's box." }),
        runner: t.arg.string({
          required: true,
          description: 'This runner instance, e.g. host:pid (shown as leasedBy).',
        }),
      },
      resolve: async (query, _root, args, { prisma, identity }) => {
        const boxId = runnerBoxOf(identity);
        const box = await prisma.box.findUnique({ where: { slug: args.box } });
        if (!box || box.id !== boxId) {
          throw new ForbiddenError(
            `This runner token is not for box "${args.box}": a runner leases only its own box's runs.`,
          );
        }
        const runnerName = `${identity?.name ?? 'runner'}/${args.runner.slice(0, 100)}`;
        const run = await leaseNextRun(runQueueFor(prisma), boxId, runnerName);
        return run ? prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: run.id } }) : null;
      },
    }),
    heartbeatBenchmarkRun: t.prismaField({
      type: 'BenchmarkRun',
      description:
        'Runner: extend the lease and report partial progress; read cancelRequested from the answer.',
      authScopes: { runner: true },
      args: {
        id: t.arg.id({ required: true }),
        attempt: t.arg.int({ required: true }),
        progress: t.arg({ type: BenchmarkRunProgressInput, required: false }),
      },
      resolve: async (query, _root, args, { prisma, identity }) => {
        const progress =
          args.progress == null ? null : parseInput(runProgressSchema, args.progress, 'progress');
        const call = fencedCallOf(args, identity);
        await heartbeat(runQueueFor(prisma), call, progress);
        return prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: call.runId } });
      },
    }),
    reportBenchmarkResult: t.prismaField({
      type: 'BenchmarkRun',
      description:
        'Runner: store the results (one per load level) and finish the run. Idempotent on reportKey.',
      authScopes: { runner: true },
      args: {
        id: t.arg.id({ required: true }),
        attempt: t.arg.int({ required: true }),
        reportKey: t.arg.string({
          required: true,
          description: 'Chosen once per attempt and sent again on every retry.',
        }),
        results: t.arg({ type: [ReportedLevelInput], required: true }),
      },
      resolve: async (query, _root, args, { prisma, identity }) => {
        const levels = parseInput(reportedLevelsSchema, args.results, 'results');
        const reportKey = parseInput(z.string().trim().min(8).max(200), args.reportKey, 'reportKey');
        const call = fencedCallOf(args, identity);
        await reportResult(runQueueFor(prisma), { ...call, reportKey, levels });
        return prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: call.runId } });
      },
    }),
    failBenchmarkRun: endAttempt(
      'Runner: end the attempt as failed with the reason (CANCELLED when it stopped for a cancel).',
      failRun,
    ),
    releaseBenchmarkRun: endAttempt(
      'Runner: hand the run back to the queue (shutting down); the next lease is a new attempt.',
      releaseRun,
    ),
  };
});

/** Failure reasons quote endpoint errors; keep them readable in a table. */
const MAX_REASON_LENGTH = 2000;

/**
 * Yields the run id on subscribe and after every change (coalesced: a burst of heartbeats while the
 * client is slow becomes one re-read), and ends after the run reaches a final state.
 */
function watchRun(prisma: PrismaClient, runId: string): Repeater<string> {
  const { events, draining } = runQueueFor(prisma);
  return new Repeater<string>(async (push, stop) => {
    let changed = true;
    let wake: (() => void) | null = null;
    const unsubscribe = events.subscribe(runId, () => {
      changed = true;
      wake?.();
    });
    // The process is shutting down: one last read of the run as it is now, then the stream ends.
    let lastEvent = draining.aborted;
    const onDrain = () => {
      lastEvent = true;
      changed = true;
      wake?.();
    };
    draining.addEventListener('abort', onDrain, { once: true });
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    try {
      while (!stopped) {
        if (!changed) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (stopped) break;
        changed = false;
        const run = await prisma.benchmarkRun.findUnique({ where: { id: runId }, select: { status: true } });
        if (!run) {
          stop(new NotFoundError('benchmark run', runId));
          break;
        }
        await push(runId);
        if (lastEvent || TERMINAL_STATUSES.includes(run.status)) {
          stop();
          break;
        }
      }
    } finally {
      draining.removeEventListener('abort', onDrain);
      unsubscribe();
    }
  });
}

/** Open runs sent when a run-change stream opens; more are read with benchmarkRuns. */
const OPEN_RUNS_ON_SUBSCRIBE = 100;

/**
 * Yields, first, the unfinished runs (newest first, at most 100) as they are now, then the id of
 * every run that changes (coalesced per run while the client is slow), and again the unfinished
 * runs when changes may have been missed. Listening starts before the first read, so no change
 * falls between the two. It ends when the process drains.
 */
function watchAllRuns(prisma: PrismaClient, boxSlug: string | null): Repeater<string[]> {
  const { events, draining } = runQueueFor(prisma);
  const boxWhere = boxSlug === null ? {} : { box: { slug: boxSlug } };
  return new Repeater<string[]>(async (push, stop) => {
    const changed = new Set<string>();
    let everything = true;
    let wake: (() => void) | null = null;
    const unsubscribe = events.subscribeAll((runId) => {
      if (runId === null) everything = true;
      else changed.add(runId);
      wake?.();
    });
    const onDrain = () => stop();
    draining.addEventListener('abort', onDrain, { once: true });
    if (draining.aborted) stop();
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    try {
      while (!stopped) {
        if (changed.size === 0 && !everything) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (stopped) break;
        if (everything) {
          everything = false;
          const open = await prisma.benchmarkRun.findMany({
            where: { status: { in: ['QUEUED', 'LEASED'] }, ...boxWhere },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: OPEN_RUNS_ON_SUBSCRIBE,
            select: { id: true },
          });
          await push(open.map((run) => run.id));
          continue;
        }
        const ids = [...changed];
        changed.clear();
        const wanted =
          boxSlug === null
            ? ids
            : (
                await prisma.benchmarkRun.findMany({
                  where: { id: { in: ids }, ...boxWhere },
                  select: { id: true },
                })
              ).map((run) => run.id);
        if (wanted.length > 0) await push(wanted);
      }
    } finally {
      draining.removeEventListener('abort', onDrain);
      unsubscribe();
    }
  });
}

const BenchmarkRunChangesRef = builder.objectRef<{ runIds: string[] }>('BenchmarkRunChanges').implement({
  authScopes: { viewer: true, runner: true },
  description:
    'An event of benchmarkRunChanges: the runs that changed, as they are now (the first event: every unfinished run).',
  fields: (t) => ({
    runs: t.prismaField({
      type: ['BenchmarkRun'],
      resolve: async (query, { runIds }, _args, { prisma }) => {
        const rows = await prisma.benchmarkRun.findMany({ ...query, where: { id: { in: runIds } } });
        const order = new Map(runIds.map((id, index) => [id, index]));
        return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      },
    }),
  }),
});

builder.subscriptionFields((t) => ({
  benchmarkRunChanges: t.field({
    type: BenchmarkRunChangesRef,
    description:
      'Every unfinished run (or one box’s) as it is now, then every change of a run as the run now, over one SSE stream: for a client that follows many runs at once. When the API process shuts down the stream ends: subscribe again.',
    authScopes: { viewer: true, runner: true },
    args: { box: t.arg.string({ required: false, description: 'Box slug' }) },
    subscribe: (_root, { box }, { prisma, identity }) => {
      // scope-auth checks `resolve`, not `subscribe`.
      if (!identity) throw refusalFor({ identity });
      return watchAllRuns(prisma, box ?? null);
    },
    resolve: (runIds: string[]) => ({ runIds }),
  }),
  benchmarkRunProgress: t.prismaField({
    type: 'BenchmarkRun',
    description:
      'The run now, then again on every heartbeat and state change until it finishes (SSE). When the API process shuts down, the stream ends after one last event with the run as it is: subscribe again.',
    authScopes: { viewer: true, runner: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, { prisma, identity }) => {
      // scope-auth checks `resolve`, not `subscribe`: without this, anyone could probe run ids.
      if (!identity) throw refusalFor({ identity });
      const exists = await prisma.benchmarkRun.findUnique({
        where: { id: String(id) },
        select: { id: true },
      });
      if (!exists) throw new NotFoundError('benchmark run', String(id));
      return watchRun(prisma, String(id));
    },
    resolve: (query, runId: string, _args, { prisma }) =>
      prisma.benchmarkRun.findUniqueOrThrow({ ...query, where: { id: runId } }),
  }),
}));
