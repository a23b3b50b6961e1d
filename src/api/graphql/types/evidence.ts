import { z } from 'zod';
import { actorOf } from '../../../app/auth/identity';
import {
  type BenchmarkHistory,
  type BenchmarkHistoryPoint,
  loadBenchmarkHistory,
} from '../../../app/evidence/history';
import {
  type ImportedFileReport,
  type ImportedResultReport,
  storeImportedFiles,
  verdictOf,
} from '../../../app/evidence/import-results';
import {
  type QuestionSetReference,
  storeQualityEvaluation,
} from '../../../app/evidence/store-quality-evaluation';
import { NotFoundError, ValidationError } from '../../../domain/errors';
import { ImportError } from '../../../domain/imports/import-error';
import type { ImportParseResult } from '../../../domain/imports/imported-result';
import { parseResultFile } from '../../../domain/imports/parse-result-file';
import { HISTORY_METRIC_NAMES } from '../../../domain/metrics/history-metrics';
import { builder } from '../builder';
import { parseInput } from '../errors';
import { cappedPageSize } from '../page-size';
import { ResultSourceEnum } from './enums';

export const RegressionVerdictEnum = builder.enumType('RegressionVerdict', {
  description:
    'A result against the history of its box, model variant and load profile: alerts need a change both significant (z-score) and material (percent).',
  values: ['REGRESSED', 'IMPROVED', 'UNCHANGED', 'NOT_ENOUGH_HISTORY'] as const,
});

interface MetricRegressionShape {
  verdict: 'REGRESSED' | 'IMPROVED' | 'UNCHANGED' | 'NOT_ENOUGH_HISTORY' | null;
  percentChange: number | null;
  zScore: number | null;
  baselineMean: number | null;
  historyUsed: number | null;
  reason: string | null;
}

const VERDICTS = new Set(['REGRESSED', 'IMPROVED', 'UNCHANGED', 'NOT_ENOUGH_HISTORY']);

/** One metric's assessment from a stored regression ({verdict, comparedWith, metrics: {...}}). */
function metricRegressionOf(regression: unknown, metric: string): MetricRegressionShape | null {
  if (typeof regression !== 'object' || regression === null) return null;
  const metrics = (regression as { metrics?: unknown }).metrics;
  if (typeof metrics !== 'object' || metrics === null) return null;
  const stored = (metrics as Record<string, unknown>)[metric];
  if (typeof stored !== 'object' || stored === null) return null;
  const value = stored as Record<string, unknown>;
  const numberOrNull = (key: string) => (typeof value[key] === 'number' ? (value[key] as number) : null);
  return {
    verdict:
      typeof value.verdict === 'string' && VERDICTS.has(value.verdict)
        ? (value.verdict as MetricRegressionShape['verdict'])
        : null,
    percentChange: numberOrNull('percentChange'),
    zScore: numberOrNull('zScore'),
    baselineMean: numberOrNull('baselineMean'),
    historyUsed: numberOrNull('historyUsed'),
    reason: typeof value.reason === 'string' ? value.reason : null,
  };
}

const MetricRegressionRef = builder.objectRef<MetricRegressionShape>('MetricRegression').implement({
  // As the result it belongs to.
  authScopes: { catalogReader: true, runner: true },
  description: 'One metric of a result against its history (the regression stored with the result).',
  fields: (t) => ({
    verdict: t.field({ type: RegressionVerdictEnum, nullable: true, resolve: (value) => value.verdict }),
    percentChange: t.exposeFloat('percentChange', {
      nullable: true,
      description: 'Against the mean of the history kept (outliers dropped), percent.',
    }),
    zScore: t.exposeFloat('zScore', { nullable: true }),
    baselineMean: t.exposeFloat('baselineMean', { nullable: true }),
    historyUsed: t.exposeInt('historyUsed', {
      nullable: true,
      description: 'Earlier results compared with.',
    }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.prismaObject('BenchmarkResult', {
  // A runner reads back the results it just reported.
  authScopes: { catalogReader: true, runner: true },
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
    regression: t.expose('regression', {
      type: 'JSON',
      nullable: true,
      description:
        'Verdict against history when stored: {verdict, comparedWith, metrics: {decodeTokensPerSecond, ttftP99Ms}} with percent change, z-score, baseline and the history used.',
    }),
    regressionVerdict: t.field({
      type: RegressionVerdictEnum,
      nullable: true,
      select: { regression: true },
      resolve: (result) => verdictOf(result.regression),
    }),
    decodeRegression: t.field({
      type: MetricRegressionRef,
      nullable: true,
      description: 'The decode rate (tokens/s per stream) against history; null when not assessed.',
      select: { regression: true },
      resolve: (result) => metricRegressionOf(result.regression, 'decodeTokensPerSecond'),
    }),
    isEstimate: t.exposeBoolean('isEstimate'),
    note: t.exposeString('note', { nullable: true }),
    serverConfiguration: t.exposeString('serverConfiguration', {
      nullable: true,
      description: 'The named server configuration (launch command) the result ran under.',
    }),
    sloSweep: t.relation('sloSweep', { nullable: true, description: 'The SLO sweep this level belongs to.' }),
    measuredAt: t.expose('measuredAt', { type: 'DateTime' }),
    previousComparable: t.prismaField({
      type: 'BenchmarkResult',
      nullable: true,
      description:
        'The last earlier measurement (not an estimate) of the same box, model variant, load profile and server configuration: what "change vs the last comparable run" compares with.',
      select: {
        id: true,
        boxId: true,
        variantId: true,
        profileKey: true,
        serverConfiguration: true,
        measuredAt: true,
      },
      resolve: (query, result, _args, { prisma }) =>
        result.boxId === null
          ? null
          : prisma.benchmarkResult.findFirst({
              ...query,
              where: {
                boxId: result.boxId,
                variantId: result.variantId,
                profileKey: result.profileKey,
                serverConfiguration: result.serverConfiguration,
                isEstimate: false,
                id: { not: result.id },
                measuredAt: { lt: result.measuredAt },
              },
              orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
            }),
    }),
  }),
});

builder.prismaObject('QuestionSet', {
  authScopes: { catalogReader: true },
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
  authScopes: { catalogReader: true },
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
    maxSize: cappedPageSize,
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
    description:
      'Evaluations on different question sets are not comparable: filter by questionSetHash to compare.',
    authScopes: { catalogReader: true },
    args: {
      variant: t.arg.string({ required: false, description: 'Model variant slug' }),
      questionSetHash: t.arg.string({ required: false, description: 'Content hash of the question set' }),
    },
    resolve: (query, _root, { variant, questionSetHash }, { prisma }) =>
      prisma.qualityEvaluation.findMany({
        ...query,
        where: {
          ...(variant ? { variant: { slug: variant } } : {}),
          ...(questionSetHash ? { questionSet: { contentHash: questionSetHash } } : {}),
        },
        orderBy: [{ evaluatedAt: 'desc' }, { slug: 'asc' }],
      }),
  }),
}));

// ---- benchmark history ------------------------------------------------------------------------

const HistoryMetricEnum = builder.enumType('HistoryMetric', {
  description: 'A benchmark metric over time; the history chart and its URL use the same names.',
  values: HISTORY_METRIC_NAMES,
});

const MAX_HISTORY_POINTS = 1000;
const DEFAULT_HISTORY_POINTS = 200;

const HistoryPointRef = builder.objectRef<BenchmarkHistoryPoint>('BenchmarkHistoryPoint').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    resultId: t.exposeID('resultId'),
    measuredAt: t.expose('measuredAt', { type: 'DateTime' }),
    value: t.exposeFloat('value'),
    verdict: t.expose('verdict', {
      type: RegressionVerdictEnum,
      nullable: true,
      description: 'Stored when the result arrived; only decode tok/s and TTFT p99 are assessed.',
    }),
    percentChange: t.exposeFloat('percentChange', { nullable: true }),
    zScore: t.exposeFloat('zScore', { nullable: true }),
  }),
});

const BenchmarkHistoryRef = builder.objectRef<BenchmarkHistory>('BenchmarkHistory').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    box: t.exposeString('box'),
    variant: t.exposeString('variant'),
    profileKey: t.exposeString('profileKey'),
    metric: t.expose('metric', { type: HistoryMetricEnum }),
    higherIsBetter: t.exposeBoolean('higherIsBetter'),
    points: t.field({
      type: [HistoryPointRef],
      resolve: (history) => history.points,
      description: 'Oldest first.',
    }),
    rooflineCeilingTokensPerSecond: t.exposeFloat('rooflineCeilingTokensPerSecond', {
      nullable: true,
      description:
        'Decode ceiling of the newest result (DECODE_TOKENS_PER_S only): the chart’s reference line.',
    }),
    rooflineAssumptions: t.exposeStringList('rooflineAssumptions'),
  }),
});

const historyArgsSchema = z.object({
  box: z.string().min(1),
  variant: z.string().min(1),
  profileKey: z.string().min(1).max(200),
  metric: z.enum(HISTORY_METRIC_NAMES),
  since: z.date().nullish(),
  limit: z
    .int()
    .min(1)
    .max(MAX_HISTORY_POINTS, { message: `at most ${MAX_HISTORY_POINTS} points` })
    .nullish(),
});

builder.queryFields((t) => ({
  benchmarkHistory: t.field({
    type: BenchmarkHistoryRef,
    description: `One metric over time for a box, model variant and load profile: the newest points (${DEFAULT_HISTORY_POINTS} unless limit says otherwise, at most ${MAX_HISTORY_POINTS}), oldest first.`,
    authScopes: { catalogReader: true },
    args: {
      box: t.arg.string({ required: true, description: 'Box slug' }),
      variant: t.arg.string({ required: true, description: 'Model variant slug' }),
      profileKey: t.arg.string({ required: true, description: 'e.g. concurrency=8 or rate=4,burstiness=1' }),
      metric: t.arg({ type: HistoryMetricEnum, required: true }),
      since: t.arg({ type: 'DateTime', required: false }),
      limit: t.arg.int({ required: false }),
    },
    resolve: async (_root, args, { prisma }) => {
      const input = parseInput(historyArgsSchema, args, 'args');
      return await loadBenchmarkHistory(prisma, {
        boxSlug: input.box,
        variantSlug: input.variant,
        profileKey: input.profileKey,
        metric: input.metric,
        since: input.since ?? null,
        limit: input.limit ?? DEFAULT_HISTORY_POINTS,
      });
    },
  }),
}));

// ---- imports ----------------------------------------------------------------------------------

/** One request carries at most this much: larger batches go through `npx floorplan import`. */
export const IMPORT_LIMITS = { maxFiles: 10, maxFileBytes: 5 * 1024 * 1024 } as const;

const ImportedResultRef = builder.objectRef<ImportedResultReport>('ImportedResultReport').implement({
  authScopes: { operator: true },
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the result in its file.' }),
    fingerprint: t.exposeString('fingerprint'),
    resultId: t.exposeID('resultId'),
    alreadyImported: t.exposeBoolean('alreadyImported', {
      description: 'The same content was imported before: nothing new was stored.',
    }),
    profileKey: t.exposeString('profileKey'),
    mappedKeys: t.exposeStringList('mappedKeys'),
    ignoredKeys: t.exposeStringList('ignoredKeys'),
    warnings: t.exposeStringList('warnings'),
    regressionVerdict: t.expose('regressionVerdict', { type: RegressionVerdictEnum, nullable: true }),
  }),
});

const ImportedFileRef = builder.objectRef<ImportedFileReport>('ImportedFileReport').implement({
  authScopes: { operator: true },
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    format: t.exposeString('format', { description: 'vllm-bench-serve or guidellm' }),
    results: t.field({ type: [ImportedResultRef], resolve: (report) => report.results }),
  }),
});

const ResultFileInput = builder.inputType('ResultFileInput', {
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'File name; .yaml/.yml is read as YAML, anything else as JSON.',
    }),
    content: t.string({ required: true }),
  }),
});

const ImportBenchmarkResultsInput = builder.inputType('ImportBenchmarkResultsInput', {
  fields: (t) => ({
    box: t.string({ required: true, description: 'Box slug' }),
    variant: t.string({ required: true, description: 'Model variant slug' }),
    files: t.field({ type: [ResultFileInput], required: true }),
  }),
});

const importInputSchema = z.object({
  box: z.string().min(1),
  variant: z.string().min(1),
  files: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(255),
        content: z
          .string()
          .min(1, { message: 'is empty' })
          .refine((content) => Buffer.byteLength(content, 'utf8') <= IMPORT_LIMITS.maxFileBytes, {
            message: `is over ${IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB: import it with \`npx floorplan import\``,
          }),
      }),
    )
    .min(1, { message: 'give at least one file' })
    .max(IMPORT_LIMITS.maxFiles, {
      message: `at most ${IMPORT_LIMITS.maxFiles} files per request: split the batch or use \`npx floorplan import\``,
    }),
});

// ---- quality evaluations ----------------------------------------------------------------------

const RecordQualityEvaluationInput = builder.inputType('RecordQualityEvaluationInput', {
  description:
    'An evaluation run elsewhere. Name its question set by questionSetHash or questionSetSlug; a hash not yet stored is created when questionSetName and questionCount are given.',
  fields: (t) => ({
    variant: t.string({ required: true, description: 'Model variant slug' }),
    path: t.string({ required: false, description: 'Serving path slug, when where it was served matters' }),
    questionSetHash: t.string({ required: false }),
    questionSetSlug: t.string({ required: false }),
    questionSetName: t.string({ required: false }),
    questionCount: t.int({ required: false }),
    withRetrieval: t.boolean({ required: true }),
    judges: t.stringList({ required: true }),
    accepted: t.int({ required: true }),
    total: t.int({ required: true }),
    judgeAgreement: t.field({ type: 'Decimal', required: false, description: 'Share of agreement, 0..1' }),
    disagreements: t.field({ type: 'JSON', required: false, description: 'A list of items for review' }),
    source: t.string({ required: true, description: 'Who ran it, where, with what' }),
    evaluatedAt: t.field({ type: 'DateTime', required: true }),
    slug: t.string({ required: false }),
  }),
});

const SLUG_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

const recordEvaluationSchema = z
  .object({
    variant: z.string().min(1),
    path: z.string().min(1).nullish(),
    questionSetHash: z.string().min(1).max(200).nullish(),
    questionSetSlug: z.string().regex(SLUG_PATTERN, 'lower-case letters, digits, dots and dashes').nullish(),
    questionSetName: z.string().min(1).max(200).nullish(),
    questionCount: z.int().min(1).max(100_000).nullish(),
    withRetrieval: z.boolean(),
    judges: z.array(z.string().trim().min(1).max(200)).min(1, { message: 'at least one judge' }).max(10),
    accepted: z.int().min(0),
    total: z.int().min(1).max(100_000),
    judgeAgreement: z
      .custom<{ toString(): string }>((value) => value !== null && typeof value === 'object')
      .refine((value) => Number(value.toString()) >= 0 && Number(value.toString()) <= 1, {
        message: 'must be between 0 and 1',
      })
      .nullish(),
    disagreements: z.array(z.unknown()).max(1000).nullish(),
    source: z.string().min(1).max(2000),
    evaluatedAt: z.date(),
    slug: z.string().regex(SLUG_PATTERN, 'lower-case letters, digits, dots and dashes').max(200).nullish(),
  })
  .refine((input) => input.accepted <= input.total, {
    message: 'accepted cannot exceed total',
    path: ['accepted'],
  })
  .refine((input) => Boolean(input.questionSetHash || input.questionSetSlug), {
    message: 'name the question set by questionSetHash or questionSetSlug',
    path: ['questionSetHash'],
  })
  .refine((input) => (input.questionSetName == null) === (input.questionCount == null), {
    message: 'questionSetName and questionCount go together (they describe a new set)',
    path: ['questionCount'],
  });

function questionSetReferenceOf(input: z.output<typeof recordEvaluationSchema>): QuestionSetReference {
  if (input.questionSetHash && input.questionSetName && input.questionCount) {
    return {
      kind: 'frozen',
      contentHash: input.questionSetHash,
      slug:
        input.questionSetSlug ??
        (input.questionSetName.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'question-set'),
      name: input.questionSetName,
      questionCount: input.questionCount,
    };
  }
  return {
    kind: 'existing',
    contentHash: input.questionSetHash ?? null,
    slug: input.questionSetSlug ?? null,
  };
}

builder.mutationFields((t) => ({
  importBenchmarkResults: t.field({
    type: [ImportedFileRef],
    description: `Import vllm bench serve or GuideLLM result files for a box and model variant (operator). Every file is parsed first: one broken file stores nothing. Importing the same content again stores nothing new. At most ${IMPORT_LIMITS.maxFiles} files, ${IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB each. Audited.`,
    authScopes: { operator: true },
    args: { input: t.arg({ type: ImportBenchmarkResultsInput, required: true }) },
    resolve: async (_root, { input }, { prisma, identity }) => {
      const request = parseInput(importInputSchema, input);
      const parsed: ImportParseResult[] = [];
      const problems: { path: string; message: string }[] = [];
      for (const [index, file] of request.files.entries()) {
        try {
          parsed.push(parseResultFile(file.name, file.content));
        } catch (error) {
          if (!(error instanceof ImportError)) throw error;
          problems.push({
            path: `input.files[${index}]`,
            message: `${error.fileName}: at ${error.jsonPath === '' ? '(root)' : error.jsonPath}: ${error.expected}`,
          });
        }
      }
      if (problems.length > 0) throw new ValidationError(problems, 'Nothing was imported');
      return await prisma.$transaction(
        (tx) =>
          storeImportedFiles(tx, {
            target: { boxSlug: request.box, variantSlug: request.variant },
            files: parsed,
            actor: actorOf(identity),
          }),
        { timeout: 60_000 },
      );
    },
  }),
  recordQualityEvaluation: t.prismaField({
    type: 'QualityEvaluation',
    description:
      'Record a quality evaluation run elsewhere (operator): accepted ≤ total, at least one judge, the question set by hash or slug. Audited.',
    authScopes: { operator: true },
    args: { input: t.arg({ type: RecordQualityEvaluationInput, required: true }) },
    resolve: async (query, _root, { input }, { prisma, identity }) => {
      const record = parseInput(recordEvaluationSchema, input);
      const stored = await prisma.$transaction((tx) =>
        storeQualityEvaluation(
          tx,
          {
            variantSlug: record.variant,
            pathSlug: record.path ?? null,
            questionSet: questionSetReferenceOf(record),
            withRetrieval: record.withRetrieval,
            judges: record.judges,
            accepted: record.accepted,
            total: record.total,
            judgeAgreement: record.judgeAgreement == null ? null : Number(record.judgeAgreement.toString()),
            disagreements: record.disagreements ?? [],
            source: record.source,
            evaluatedAt: record.evaluatedAt,
            slug: record.slug ?? null,
          },
          actorOf(identity),
        ),
      );
      return prisma.qualityEvaluation.findUniqueOrThrow({ ...query, where: { id: stored.id } });
    },
  }),
}));
