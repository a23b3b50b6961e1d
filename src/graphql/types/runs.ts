import { builder, MAX_PAGE_SIZE } from '../builder';
import { NotFoundError } from '../errors';
import { assertPageSize } from '../page-size';
import { EndpointKindEnum, RunStatusEnum } from './enums';

export const BenchmarkRunRef = builder.prismaObject('BenchmarkRun', {
  description: 'A benchmark job on a box: queued, leased by the box runner, then finished, failed or cancelled.',
  fields: (t) => ({
    id: t.exposeID('id'),
    box: t.relation('box'),
    variant: t.relation('variant'),
    endpointKind: t.expose('endpointKind', { type: EndpointKindEnum }),
    spec: t.expose('spec', { type: 'JSON', description: 'The validated run spec the runner executes.' }),
    status: t.expose('status', { type: RunStatusEnum }),
    attempt: t.exposeInt('attempt'),
    maxAttempts: t.exposeInt('maxAttempts'),
    leasedBy: t.exposeString('leasedBy', { nullable: true }),
    leaseExpiresAt: t.expose('leaseExpiresAt', { type: 'DateTime', nullable: true }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', nullable: true }),
    progress: t.expose('progress', { type: 'JSON', nullable: true }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    attemptHistory: t.expose('attemptHistory', { type: 'JSON' }),
    requestedBy: t.exposeString('requestedBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    results: t.relation('results', { query: { orderBy: { concurrency: 'asc' } } }),
  }),
});

builder.queryFields((t) => ({
  benchmarkRuns: t.prismaConnection({
    type: 'BenchmarkRun',
    cursor: 'id',
    authScopes: { viewer: true, runner: true },
    maxSize: (args) => {
      assertPageSize(args.first ?? args.last, MAX_PAGE_SIZE);
      return MAX_PAGE_SIZE;
    },
    args: {
      status: t.arg({ type: RunStatusEnum, required: false }),
      box: t.arg.string({ required: false, description: 'Box slug' }),
    },
    resolve: (query, _root, args, { prisma }) =>
      prisma.benchmarkRun.findMany({
        ...query,
        where: {
          ...(args.status ? { status: args.status } : {}),
          ...(args.box ? { box: { slug: args.box } } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  benchmarkRun: t.prismaField({
    type: 'BenchmarkRun',
    authScopes: { viewer: true, runner: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, { prisma }) =>
      (await prisma.benchmarkRun.findUnique({ ...query, where: { id: String(id) } })) ??
      Promise.reject(new NotFoundError('benchmark run', String(id), 'List them with { benchmarkRuns { edges { node { id } } } }.')),
  }),
}));
