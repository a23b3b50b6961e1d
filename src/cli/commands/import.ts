import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { type ImportedFileReport, storeImportedFiles } from '../../app/evidence/import-results';
import { FloorplanError } from '../../domain/errors';
import { ImportError } from '../../domain/imports/import-error';
import type { ImportParseResult } from '../../domain/imports/imported-result';
import { parseResultDocument, parseResultFile } from '../../domain/imports/parse-result-file';
import { StreamedJsonObject } from '../../domain/imports/streamed-json-object';
import type { PrismaClient } from '../../generated/prisma/client';
import { parseCommandArgs } from '../command';
import { withDatabase } from '../database';
import type { CommandOutput } from './eval';

export const USAGE = `usage: floorplan import FILE... --box SLUG --variant SLUG [--dry-run]
  FILE       vllm bench serve --save-result JSON, or a GuideLLM report (JSON or YAML)
  --box      the box the results were measured on (e.g. dgx-spark)
  --variant  the model variant that was served (e.g. llama-3.1-8b-lora)
  --dry-run  parse and show the mapping; store nothing
Every file is parsed before anything is stored: one broken file stores nothing at all.`;

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface ImportCommandDependencies {
  output?: CommandOutput;
  /** The database to store into; by default the one the environment names (DATABASE_URL or PGlite). */
  prisma?: PrismaClient;
}

/**
 * `floorplan import`. Exit codes: 0 stored (or already there), 1 a file or slug was refused and
 * nothing was stored, 2 bad arguments.
 */
export async function runImportCommand(
  args: string[],
  dependencies: ImportCommandDependencies = {},
): Promise<number> {
  const output = dependencies.output ?? processOutput;
  let options: ImportCommandOptions;
  try {
    options = parseImportArguments(args);
  } catch (error) {
    output.stderr(`floorplan import: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }

  let files: ImportParseResult[];
  try {
    files = await parseImportFiles(options.paths);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    output.stderr(
      `Nothing was imported: ${error.fileName} cannot be read as a result file.\n` +
        `  at ${error.jsonPath === '' ? '(root)' : error.jsonPath}: ${/^expected\b/i.test(error.expected) ? '' : 'expected '}${error.expected}\n`,
    );
    return 1;
  }
  output.stdout(`${formatImportReport(files)}\n`);
  if (options.dryRun) {
    output.stdout('Dry run: nothing stored.\n');
    return 0;
  }

  const store = async (prisma: PrismaClient) =>
    prisma.$transaction(
      (tx) =>
        storeImportedFiles(tx, {
          target: { boxSlug: options.box, variantSlug: options.variant },
          files,
          actor: `cli:${process.env.USER ?? 'unknown'}`,
        }),
      { timeout: 60_000 },
    );
  let reports: ImportedFileReport[];
  try {
    if (dependencies.prisma) {
      reports = await store(dependencies.prisma);
    } else {
      reports = await withDatabase((database) => store(database.prisma));
    }
  } catch (error) {
    if (error instanceof FloorplanError) {
      output.stderr(`Nothing was imported: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  output.stdout(`${formatStoredReport(reports, options)}\n`);
  return 0;
}

interface ImportCommandOptions {
  paths: string[];
  box: string;
  variant: string;
  dryRun: boolean;
}

function parseImportArguments(args: string[]): ImportCommandOptions {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      box: { type: 'string' },
      variant: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new Error('give at least one result file');
  if (!values.box) throw new Error('--box is required (the box the results were measured on)');
  if (!values.variant) throw new Error('--variant is required (the model variant that was served)');
  return { paths: positionals, box: values.box, variant: values.variant, dryRun: values['dry-run'] };
}

function formatStoredReport(reports: readonly ImportedFileReport[], options: ImportCommandOptions): string {
  const results = reports.flatMap((report) => report.results);
  const stored = results.filter((result) => !result.alreadyImported).length;
  const lines = [
    `Stored ${stored} new result(s) for ${options.box} / ${options.variant}; ${results.length - stored} already imported.`,
  ];
  for (const report of reports) {
    for (const result of report.results) {
      lines.push(
        `  ${report.fileName} [${result.index}] ${result.profileKey}: ${result.alreadyImported ? 'already imported' : 'new'} ` +
          `(id ${result.resultId}, regression ${result.regressionVerdict ?? 'n/a'})`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Reads and parses result files; storing them is the caller's job, so a file that fails stops the
 * batch before anything is written. All files are parsed before returning: either every file comes
 * back parsed, or the first failure (in the order given) is thrown as an ImportError.
 */
export async function parseImportFiles(paths: string[]): Promise<ImportParseResult[]> {
  const parsed: ImportParseResult[] = [];
  for (const path of paths) {
    // The path names the file in errors; the base name decides JSON vs YAML.
    try {
      const streamed = basename(path).toLowerCase().endsWith('.json') ? await streamJsonObject(path) : null;
      parsed.push({
        ...(streamed === null
          ? parseResultFile(basename(path), await readWhole(path))
          : parseResultDocument(basename(path), streamed)),
        fileName: path,
      });
    } catch (error) {
      if (error instanceof ImportError) throw new ImportError(path, error.jsonPath, error.expected);
      throw error;
    }
  }
  return parsed;
}

function unreadable(path: string, error: unknown): ImportError {
  return new ImportError(
    path,
    '',
    `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
  );
}

async function readWhole(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

/**
 * A JSON file read in pieces into its document (StreamedJsonObject): a 58 MB --save-detailed file
 * is never held as text. Null when the builder gives up; the file is then read whole as before.
 */
async function streamJsonObject(path: string): Promise<Record<string, unknown> | null> {
  const builder = new StreamedJsonObject();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const piece of stream) {
      if (!builder.feed(piece as string)) return null;
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    stream.destroy();
  }
  return builder.finish();
}

/** One line per result plus the mapping report, for a dry run or the import command's output. */
export function formatImportReport(files: readonly ImportParseResult[]): string {
  const lines: string[] = [];
  for (const file of files) {
    lines.push(`${file.fileName}: ${file.format}, ${file.results.length} result(s)`);
    for (const result of file.results) {
      const summary = result.summary;
      const profile =
        summary.profile.kind === 'concurrency'
          ? `concurrency ${summary.profile.maxConcurrency}`
          : `rate ${summary.profile.requestsPerSecond}/s`;
      const decode = summary.meanDecodeTokensPerSecond;
      lines.push(
        `  [${result.index}] ${result.modelId ?? '(model unknown)'} · ${profile} · ${summary.completed} ok / ${summary.failed} failed · ` +
          `output ${summary.outputThroughput.toFixed(1)} tok/s · decode ${decode === null ? 'n/a' : `${decode.toFixed(1)} tok/s/stream`} · ` +
          `TTFT p50 ${summary.ttftMs === null ? 'n/a' : `${summary.ttftMs.p50.toFixed(1)} ms`}`,
      );
      lines.push(
        `      mapped ${result.mapping.mappedKeys.length} keys, derived ${result.mapping.derivedFields.length} fields`,
      );
      if (result.mapping.keptAsExtraKeys.length > 0)
        lines.push(`      kept as extra: ${result.mapping.keptAsExtraKeys.join(', ')}`);
      if (result.mapping.ignoredKeys.length > 0)
        lines.push(`      ignored: ${result.mapping.ignoredKeys.join(', ')}`);
      for (const warning of summary.warnings) lines.push(`      note: ${warning}`);
    }
  }
  return lines.join('\n');
}
