import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ImportError } from '../../domain/imports/import-error';
import type { ImportParseResult } from '../../domain/imports/imported-result';
import { parseResultFile } from '../../domain/imports/parse-result-file';

/**
 * Reads and parses result files; storing them is the caller's job, so a file that fails stops the
 * batch before anything is written. All files are parsed before returning: either every file comes
 * back parsed, or the first failure (in the order given) is thrown as an ImportError.
 */
export async function parseImportFiles(paths: string[]): Promise<ImportParseResult[]> {
  const parsed: ImportParseResult[] = [];
  for (const path of paths) {
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      throw new ImportError(
        path,
        '',
        `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    // The path names the file in errors; the base name decides JSON vs YAML.
    try {
      parsed.push({ ...parseResultFile(basename(path), content), fileName: path });
    } catch (error) {
      if (error instanceof ImportError) throw new ImportError(path, error.jsonPath, error.expected);
      throw error;
    }
  }
  return parsed;
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
