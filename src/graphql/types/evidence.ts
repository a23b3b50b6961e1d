import { builder, MAX_PAGE_SIZE } from '../builder';
import { NotFoundError } from '../errors';
import { assertPageSize } from '../page-size';
import { ResultSourceEnum } from './enums';

builder.prismaObject('BenchmarkResult', {
  description: 'One measured (or published) result for a box or path, model variant and load profile.',
  fields: (t) => ({
    id: t.exposeID('id'),
    box: t.relation('box', { nullable: true }),
    path: t.relation('path', { nullable: true }),
    variant: t.relation('variant'),
    run: t.relation('run', { nullable: true }),
    source: t.expose('source', { type: ResultSourceEnum }),
    sourceTool: t.exposeString('sourceTool'),
    fingerprint: t.exposeString('fingerprint'),
    profileKey: t.exposeString('profileKey'),
    concurrency: t.exposeInt('concurrency', { nullable: true }),
    quantization: t.exposeString('quantization', { nullable: true }),
    decodeTokensPerSecond: t.exposeFloat('decodeTokensPerSecond', {
      nullable: true,
      description: 'Per-stream decode rate, tokens/s (1000 / mean TPOT).',
    }),
    outputTokensPerSecond: t.exposeFloat('outputTokensPerSecond', { nullable: true }),
    ttftP95Ms: t.exposeFloat('ttftP95Ms', { nullable: true }),
    ttftP99Ms: t.exposeFloat('ttftP99Ms', { nullable: true }),
    summary: t.expose('summary', {
      type: 'JSON',
      description:
        'The canonical metrics (vLLM definitions): latency distributions in ms, throughputs per second.',
    }),
    regression: t.expose('regression', { type: 'JSON', nullable: true }),
    isEstimate: t.exposeBoolean('isEstimate'),
    note: t.exposeString('note', { nullable: true }),
    measuredAt: t.expose('measuredAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('QuestionSet', {
  description: 'A frozen question set, identified by content hash: evaluations compare only on the same set.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    contentHash: t.exposeString('contentHash'),
    questionCount: t.exposeInt('questionCount'),
  }),
});

builder.prismaObject('QualityEvaluation', {
  description: 'Accepted output on a frozen set: accepted only where both judges accept.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    variant: t.relation('variant'),
    questionSet: t.relation('questionSet'),
    path: t.relation('path', { nullable: true }),
    withRetrieval: t.exposeBoolean('withRetrieval'),
    judges: t.exposeStringList('judges'),
    accepted: t.exposeInt('accepted'),
    total: t.exposeInt('total'),
    acceptedRate: t.float({
      select: { accepted: true, total: true },
      resolve: (evaluation) => evaluation.accepted / evaluation.total,
    }),
    judgeAgreement: t.expose('judgeAgreement', { type: 'Decimal', nullable: true }),
    disagreements: t.expose('disagreements', { type: 'JSON' }),
    source: t.exposeString('source'),
    evaluatedAt: t.expose('evaluatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  benchmarkResults: t.prismaConnection({
    type: 'BenchmarkResult',
    cursor: 'id',
    authScopes: { catalogReader: true },
    maxSize: (args) => {
      assertPageSize(args.first ?? args.last, MAX_PAGE_SIZE);
      return MAX_PAGE_SIZE;
    },
    args: {
      box: t.arg.string({ required: false, description: 'Box slug' }),
      variant: t.arg.string({ required: false, description: 'Model variant slug' }),
      profileKey: t.arg.string({ required: false }),
    },
    resolve: (query, _root, args, { prisma }) =>
      prisma.benchmarkResult.findMany({
        ...query,
        where: {
          ...(args.box ? { box: { slug: args.box } } : {}),
          ...(args.variant ? { variant: { slug: args.variant } } : {}),
          ...(args.profileKey ? { profileKey: args.profileKey } : {}),
        },
        orderBy: [{ measuredAt: 'desc' }, { id: 'asc' }],
      }),
  }),
  benchmarkResult: t.prismaField({
    type: 'BenchmarkResult',
    authScopes: { catalogReader: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, { prisma }) =>
      (await prisma.benchmarkResult.findUnique({ ...query, where: { id: String(id) } })) ??
      Promise.reject(new NotFoundError('benchmark result', String(id))),
  }),
  qualityEvaluations: t.prismaField({
    type: ['QualityEvaluation'],
    authScopes: { catalogReader: true },
    args: { variant: t.arg.string({ required: false, description: 'Model variant slug' }) },
    resolve: (query, _root, { variant }, { prisma }) =>
      prisma.qualityEvaluation.findMany({
        ...query,
        where: variant ? { variant: { slug: variant } } : {},
        orderBy: [{ evaluatedAt: 'desc' }, { slug: 'asc' }],
      }),
  }),
}));
