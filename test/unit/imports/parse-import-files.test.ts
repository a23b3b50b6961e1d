import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatImportReport, parseImportFiles } from '../../../src/cli/commands/import';
import { ImportError } from '../../../src/domain/imports/import-error';
import { IMPORT_FIXTURES_DIRECTORY } from './fixture-files';

describe('parseImportFiles', () => {
  it('reads and parses several files, YAML by extension', async () => {
    const parsed = await parseImportFiles([
      join(IMPORT_FIXTURES_DIRECTORY, 'vllm-new.json'),
      join(IMPORT_FIXTURES_DIRECTORY, 'guidellm-v0.7.yaml'),
    ]);
    expect(parsed.map((file) => [file.format, file.results.length])).toEqual([
      ['vllm-bench-serve', 1],
      ['guidellm', 3],
    ]);
    expect(parsed[0]?.fileName).toBe(join(IMPORT_FIXTURES_DIRECTORY, 'vllm-new.json'));
    expect(formatImportReport(parsed)).toMatch(/concurrency 4 · 40 ok \/ 0 failed/);
  });

  it('names the full path when a file is missing or broken, and returns nothing partial', async () => {
    const missing = join(IMPORT_FIXTURES_DIRECTORY, 'no-such-file.json');
    await expect(parseImportFiles([missing])).rejects.toMatchObject({
      name: 'ImportError',
      fileName: missing,
    });
    const broken = join(IMPORT_FIXTURES_DIRECTORY, 'broken-vllm-wrong-type.json');
    const failure = parseImportFiles([join(IMPORT_FIXTURES_DIRECTORY, 'vllm-new.json'), broken]);
    await expect(failure).rejects.toBeInstanceOf(ImportError);
    await expect(failure).rejects.toMatchObject({ fileName: broken, jsonPath: 'completed' });
  });
});
