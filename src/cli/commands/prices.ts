import { readFile } from 'node:fs/promises';
import Decimal from 'decimal.js';
import {
  type CliStalePriceFragment,
  CliStalePricesDocument,
  type CliStalePricesQuery,
} from '../../../clients/graphql/operations.generated';
import { executeInProcess } from '../../api/graphql/in-process';
import { LOCAL_CLI_IDENTITY } from '../../app/auth/identity';
import {
  formatImportReport,
  importPriceFile,
  PriceFileError,
  PriceMappingError,
} from '../../app/prices/import-prices';
import { parseCommandArgs, UsageError } from '../command';
import { withDatabase } from '../database';

export const USAGE = [
  'Usage: npx floorplan prices import FILE --mapping MAP.yaml [--dry-run] [--json]',
  '       npx floorplan prices stale [--days 180] [--json]',
  '  FILE       an AWS Price List bulk offer file (JSON), LiteLLM model_prices_and_context_window.json,',
  '             or a SkyPilot catalog CSV; the mapping says which (format) and which key feeds which price',
  '  --dry-run  print the diff and the keys not mapped; store nothing',
  '  stale      prices whose value in effect is older than --days (default 180), grouped by the saved',
  '             decisions that cost with them (watched first), each with the import or catalog edit',
  '             that would refresh it; --json prints GraphQL stalePrices',
].join('\n');

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Could not read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export async function runPricesCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'stale') return runStaleCommand(rest);
  if (sub !== 'import')
    throw new UsageError(
      sub
        ? `unknown prices command "${sub}": import or stale`
        : 'say what to do: prices import or prices stale',
    );
  const { values, positionals } = parseCommandArgs({
    args: rest,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('give exactly one price file');
  if (!values.mapping)
    throw new UsageError('--mapping is required: the YAML that says which key feeds which price component');
  const fileText = await readText(file, 'price file');
  const mappingText = await readText(values.mapping, 'mapping file');
  return withDatabase(async (database) => {
    try {
      const report = await importPriceFile(database.prisma, {
        fileName: file,
        fileText,
        mappingName: values.mapping ?? '',
        mappingText,
        apply: !values['dry-run'],
        actor: `cli:${process.env.USER ?? 'local'}`,
      });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
      return 0;
    } catch (error) {
      if (error instanceof PriceFileError || error instanceof PriceMappingError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
  });
}

type StalePricesData = CliStalePricesQuery['stalePrices'];
type StalePriceData = CliStalePriceFragment;

const priceLine = (price: StalePriceData) =>
  `${price.slug}: ${new Decimal(price.price.amount).toFixed()} ${price.unit}, in effect since ${price.effectiveFrom.slice(0, 10)} (${price.ageDays} days, ${price.confidence}; ${price.source})`;

export function formatStalePrices(data: StalePricesData): string {
  if (data.prices.length === 0)
    return `No price is older than ${data.olderThanDays} days (as of ${data.asOf.slice(0, 10)}).`;
  const lines = [
    `${data.prices.length} prices are older than ${data.olderThanDays} days (as of ${data.asOf.slice(0, 10)}).`,
  ];
  for (const decision of data.decisions) {
    const watched = decision.watched
      ? `watched${decision.channels.length ? ` in ${decision.channels.join(', ')}` : ''}`
      : 'not watched';
    lines.push(
      '',
      `Saved decision ${decision.decisionId} (${watched}; recommends ${decision.recommendation ?? 'nothing'}) costs with:`,
      ...decision.prices.map((price) => `  ${priceLine(price)}`),
    );
  }
  if (data.notCited.length)
    lines.push('', 'No saved decision costs with:', ...data.notCited.map((price) => `  ${priceLine(price)}`));
  lines.push('', 'To refresh them (dry-run an import first; or edit the catalog):');
  for (const price of data.prices) {
    lines.push(`  ${price.slug}`);
    for (const refresh of price.refresh) {
      if (refresh.kind === 'IMPORT')
        lines.push(
          `    import: ${refresh.command}${refresh.fetchFrom ? `  (the file: ${refresh.fetchFrom})` : ''}`,
        );
      else
        lines.push(
          `    edit:   ${refresh.command}, the file:`,
          ...(refresh.catalogEdit ?? '').split('\n').map((line) => `              ${line}`),
        );
    }
  }
  return lines.join('\n');
}

async function runStaleCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { days: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const days = values.days === undefined ? 180 : Number(values.days);
  if (!Number.isInteger(days) || days < 0 || days > 3650)
    throw new UsageError(
      `--days: "${values.days}" is not a whole number of days from 0 to 3650 (e.g. --days 90)`,
    );
  return withDatabase(async (database) => {
    const data = await executeInProcess(database.prisma, LOCAL_CLI_IDENTITY, CliStalePricesDocument, {
      olderThanDays: days,
    });
    console.log(
      values.json ? JSON.stringify(data.stalePrices, null, 2) : formatStalePrices(data.stalePrices),
    );
    return 0;
  });
}
