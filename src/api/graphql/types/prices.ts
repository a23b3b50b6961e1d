import { actorOf } from '../../../app/auth/identity';
import {
  importPriceFile,
  type PriceChange,
  PriceFileError,
  type PriceImportReport,
  PriceMappingError,
} from '../../../app/prices/import-prices';
import { ValidationError } from '../../../domain/errors';
import { builder } from '../builder';

const PriceChangeRef = builder.objectRef<PriceChange>('PriceFileChange').implement({
  // Only the admin's price import returns these.
  authScopes: { admin: true },
  description: 'One mapped figure of a price file against the value in effect now.',
  fields: (t) => ({
    component: t.exposeString('component'),
    key: t.exposeString('key', {
      description: 'The key in the file (AWS SKU or rate code, LiteLLM model.field, SkyPilot type@region).',
    }),
    kind: t.exposeString('kind', {
      description: 'CHANGED (new amount), CONFIRMED (same amount, newer date) or UNCHANGED.',
    }),
    beforeAmount: t.field({
      type: 'Decimal',
      nullable: true,
      resolve: (change) => change.before?.amount ?? null,
    }),
    afterAmount: t.field({ type: 'Decimal', resolve: (change) => change.after.amount }),
    effectiveFrom: t.string({ resolve: (change) => change.after.effectiveFrom }),
    source: t.string({ resolve: (change) => change.after.source }),
    line: t.exposeString('line', {
      description: 'The diff in words, e.g. "x: $0.22 → $0.20 per 1M input tokens, as of …".',
    }),
  }),
});

const PriceImportRef = builder.objectRef<PriceImportReport>('PriceImport').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    format: t.exposeString('format'),
    fileLabel: t.exposeString('fileLabel'),
    fingerprint: t.exposeString('fingerprint', {
      description: 'sha256 prefix of the file: applying the same file twice adds nothing.',
    }),
    applied: t.exposeBoolean('applied'),
    recorded: t.exposeInt('recorded', { description: 'New dated values recorded (0 on a dry run).' }),
    changes: t.field({ type: [PriceChangeRef], resolve: (report) => report.changes }),
    missingKeys: t.exposeStringList('missingKeys', {
      description: 'Keys the mapping names that the file does not hold.',
    }),
    unmappedKeys: t.exposeStringList('unmappedKeys', {
      description: 'Keys in the file no mapping line names (first 200): listed, never guessed.',
    }),
    unmappedCount: t.exposeInt('unmappedCount'),
  }),
});

builder.mutationFields((t) => ({
  importPrices: t.field({
    type: PriceImportRef,
    authScopes: { admin: true },
    description:
      'Import a price file (admin): an AWS Price List bulk offer file, LiteLLM model_prices_and_context_window.json, or a SkyPilot catalog CSV, with a YAML mapping of which key feeds which price component. dryRun reports the diff and stores nothing; otherwise the changed figures become new dated values. A malformed file or mapping stores nothing and names the path inside it.',
    args: {
      file: t.arg.string({ required: true, description: 'The file contents.' }),
      fileName: t.arg.string({ required: false }),
      mapping: t.arg.string({
        required: true,
        description: 'The mapping, YAML (see test/fixtures/prices/*.mapping.yaml).',
      }),
      dryRun: t.arg.boolean({ required: true }),
    },
    resolve: async (_root, args, { prisma, identity }) => {
      const actor = actorOf(identity);
      try {
        const report = await importPriceFile(prisma, {
          fileName: args.fileName ?? 'file',
          fileText: args.file,
          mappingName: 'mapping',
          mappingText: args.mapping,
          apply: !args.dryRun,
          actor,
        });
        return report;
      } catch (error) {
        if (error instanceof PriceFileError)
          throw new ValidationError(
            error.problems.map((problem) => ({ path: `file: ${problem.path}`, message: problem.message })),
            'Malformed price file; nothing was stored',
          );
        if (error instanceof PriceMappingError)
          throw new ValidationError(
            [{ path: 'mapping', message: error.message }],
            'Invalid mapping; nothing was stored',
          );
        throw error;
      }
    },
  }),
}));
