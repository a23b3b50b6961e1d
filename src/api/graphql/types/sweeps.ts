import { NotFoundError } from '../../../domain/errors';
import type { SloTargets, SweepLevel } from '../../../domain/slo-search';
import { builder } from '../builder';

/** SLO sweeps: the largest concurrency a box serves within latency objectives, and the goodput there. */

export const SloSweepEndReasonEnum = builder.enumType('SloSweepEndReason', {
  values: {
    BRACKETED: {
      description: 'The highest passing and lowest failing levels are within the precision asked.',
    },
    NONE_MET: { description: 'Even the lowest level missed an objective.' },
    CAP_REACHED: {
      description: 'Every level up to maxConcurrency met the objectives; the limit lies above.',
    },
  } as const,
});

export const SloSearchPhaseEnum = builder.enumType('SloSearchPhase', {
  values: {
    CLIMB: { description: 'Geometric climb until a level misses.' },
    BISECT: { description: 'Bisection between the last passing and the first failing level.' },
  } as const,
});

export const SloTargetsRef = builder.objectRef<SloTargets>('SloTargets').implement({
  // Also a run spec's objectives, which the box's runner reads.
  authScopes: { catalogReader: true, runner: true },
  description: 'Latency objectives on a level’s statistics, in milliseconds; null = not checked.',
  fields: (t) => ({
    ttftP95Ms: t.float({ nullable: true, resolve: (slos) => slos.ttftP95Ms ?? null }),
    ttftP99Ms: t.float({ nullable: true, resolve: (slos) => slos.ttftP99Ms ?? null }),
    tpotMeanMs: t.float({ nullable: true, resolve: (slos) => slos.tpotMeanMs ?? null }),
    tpotP99Ms: t.float({ nullable: true, resolve: (slos) => slos.tpotP99Ms ?? null }),
    itlP99Ms: t.float({ nullable: true, resolve: (slos) => slos.itlP99Ms ?? null }),
    e2elP99Ms: t.float({ nullable: true, resolve: (slos) => slos.e2elP99Ms ?? null }),
  }),
});

type TargetCheckShape = SweepLevel['checks'][number];

const SloCheckRef = builder.objectRef<TargetCheckShape>('SloCheck').implement({
  authScopes: { catalogReader: true },
  description: 'One objective at one level: the statistic measured against its limit.',
  fields: (t) => ({
    target: t.exposeString('key', { description: 'e.g. ttftP95Ms' }),
    label: t.exposeString('label'),
    limitMs: t.exposeFloat('limitMs'),
    measuredMs: t.exposeFloat('measuredMs', { nullable: true }),
    met: t.exposeBoolean('met'),
  }),
});

const SloSweepLevelRef = builder.objectRef<SweepLevel>('SloSweepLevel').implement({
  authScopes: { catalogReader: true },
  description: 'One measured level of a sweep (its full metrics are on the result).',
  fields: (t) => ({
    concurrency: t.exposeInt('concurrency'),
    phase: t.field({ type: SloSearchPhaseEnum, resolve: (level) => level.phase }),
    meetsSlo: t.exposeBoolean('meetsSlo'),
    stoppedEarly: t.exposeBoolean('stoppedEarly', {
      description: 'Stopped before all its requests ran: it was already certain to miss.',
    }),
    completed: t.exposeInt('completed'),
    failed: t.exposeInt('failed'),
    requestThroughput: t.exposeFloat('requestThroughput'),
    outputThroughput: t.exposeFloat('outputThroughput'),
    goodputRequestsPerSecond: t.exposeFloat('goodputRequestsPerSecond', { nullable: true }),
    goodputOutputTokensPerSecond: t.exposeFloat('goodputOutputTokensPerSecond', { nullable: true }),
    meanDecodeTokensPerSecond: t.exposeFloat('meanDecodeTokensPerSecond', { nullable: true }),
    checks: t.field({ type: [SloCheckRef], resolve: (level) => level.checks }),
    result: t.prismaField({
      type: 'BenchmarkResult',
      nullable: true,
      resolve: (query, level, _args, { prisma }) =>
        level.resultId
          ? prisma.benchmarkResult.findUnique({ ...query, where: { id: level.resultId } })
          : null,
    }),
  }),
});

builder.prismaObject('SloSweep', {
  authScopes: { catalogReader: true },
  description:
    'An SLO search on a box for one server configuration: levels climbed geometrically, then bisected, and the largest concurrency at which every objective held, with the goodput there (vLLM’s definition).',
  fields: (t) => ({
    id: t.exposeID('id'),
    run: t.relation('run'),
    box: t.relation('box'),
    variant: t.relation('variant'),
    serverConfiguration: t.exposeString('serverConfiguration', {
      nullable: true,
      description: 'The named launch command the box ran under; null when the runner did not launch it.',
    }),
    slos: t.field({
      type: SloTargetsRef,
      select: { slos: true },
      resolve: (sweep) => sweep.slos as SloTargets,
    }),
    endReason: t.field({
      type: SloSweepEndReasonEnum,
      select: { endReason: true },
      resolve: (sweep) => sweep.endReason as 'BRACKETED' | 'NONE_MET' | 'CAP_REACHED',
    }),
    maxConcurrencyAtSlo: t.exposeInt('maxConcurrencyAtSlo', { nullable: true }),
    firstMissConcurrency: t.exposeInt('firstMissConcurrency', { nullable: true }),
    goodputRequestsPerSecond: t.exposeFloat('goodputRequestsPerSecond', { nullable: true }),
    goodputOutputTokensPerSecond: t.exposeFloat('goodputOutputTokensPerSecond', { nullable: true }),
    levels: t.field({
      type: [SloSweepLevelRef],
      select: { levels: true },
      resolve: (sweep) => sweep.levels as unknown as SweepLevel[],
    }),
    summary: t.exposeString('summary'),
    measuredAt: t.expose('measuredAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('BenchmarkRun', 'sloSweeps', (t) =>
  t.relation('sloSweeps', { description: 'SLO_SEARCH runs: one sweep per server configuration.' }),
);

builder.queryFields((t) => ({
  sloSweeps: t.prismaField({
    type: ['SloSweep'],
    description: 'SLO sweeps, newest first, optionally for one box and model variant (at most 100).',
    authScopes: { catalogReader: true },
    args: {
      box: t.arg.string({ required: false, description: 'Box slug' }),
      variant: t.arg.string({ required: false, description: 'Model variant slug' }),
    },
    resolve: (query, _root, args, { prisma }) =>
      prisma.sloSweep.findMany({
        ...query,
        where: {
          ...(args.box ? { box: { slug: args.box } } : {}),
          ...(args.variant ? { variant: { slug: args.variant } } : {}),
        },
        orderBy: [{ measuredAt: 'desc' }, { id: 'asc' }],
        take: 100,
      }),
  }),
  sloSweep: t.prismaField({
    type: 'SloSweep',
    authScopes: { catalogReader: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, { prisma }) =>
      (await prisma.sloSweep.findUnique({ ...query, where: { id: String(id) } })) ??
      Promise.reject(new NotFoundError('SLO sweep', String(id), 'List them with { sloSweeps { id } }.')),
  }),
}));
