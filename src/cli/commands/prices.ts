import { readFile } from 'node:fs/promises';
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
  '  FILE       an AWS Price List bulk offer file (JSON), LiteLLM model_prices_and_context_window.json,',
  '             or a SkyPilot catalog CSV; the mapping says which (format) and which key feeds which price',
  '  --dry-run  print the diff and the keys not mapped; store nothing',
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
  if (sub !== 'import')
    throw new UsageError(sub ? `unknown prices command "${sub}"` : 'say what to do: prices import');
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
