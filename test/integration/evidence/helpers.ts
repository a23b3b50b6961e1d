import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runImportCommand } from '../../../src/cli/commands/import';
import type { PrismaClient } from '../../../src/generated/prisma/client';
import type { TestDatabase } from '../../support/database';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/imports');
export const fixture = (name: string) => join(FIXTURES, name);

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

/**
 * Runs `floorplan import` the way an operator would. Against PostgreSQL it is a real child process
 * (`node bin/floorplan.js`) with DATABASE_URL pointing at the test database; PGlite lives inside
 * this process and cannot be shared with a child, so there the command function runs in-process
 * against the same database.
 */
export async function runImport(database: TestDatabase, args: string[]): Promise<CommandRun> {
  if (database.url !== null) {
    try {
      const { stdout, stderr } = await execFileAsync('node', ['bin/floorplan.js', 'import', ...args], {
        cwd: join(import.meta.dirname, '../../..'),
        env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }
  const run: CommandRun = { code: -1, stdout: '', stderr: '' };
  run.code = await runImportCommand(args, {
    prisma: database.prisma,
    output: {
      stdout: (text) => {
        run.stdout += text;
      },
      stderr: (text) => {
        run.stderr += text;
      },
    },
  });
  return run;
}

export async function evidenceRowCounts(prisma: PrismaClient) {
  const [results, rawData, audits] = await Promise.all([
    prisma.benchmarkResult.count(),
    prisma.benchmarkRawData.count(),
    prisma.auditEvent.count({ where: { entityType: 'BenchmarkResult' } }),
  ]);
  return { results, rawData, audits };
}
