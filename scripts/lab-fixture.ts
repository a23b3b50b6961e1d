/**
 * Derives the lab's evidence snapshot (test/fixtures/lab/lab.generated.json) from seeds/ through the
 * real code: migrate an in-memory PGlite, load seeds/ with the seeder the API's bootstrap uses, and
 * read the snapshot back with the loader every decision uses (loadEvidenceSnapshot). The engine's
 * unit tests and bench/engine.ts read the committed file, so they stay fast (no database: seeding
 * takes seconds) and the fixture cannot drift from the seeds unnoticed:
 *
 *   npm run fixtures:lab         rewrite the file after a change to seeds/ (or to the loader)
 *   npm run fixtures:lab:check   fail when the committed file differs from what seeds/ give (CI)
 *
 * Only the database's generated row ids are replaced, by stable names (a path by its slug, a result
 * by its fingerprint), so the file is the same on every run; the evidence itself is as loaded.
 * Decimals are written as their exact strings; test/fixtures/lab/lab-evidence.ts revives them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadEvidenceSnapshot } from '../src/app/decisions/load-evidence';
import { openDatabase } from '../src/db/connection';
import { applyMigrations } from '../src/db/migrate';
import { seedDatabase } from '../src/db/seed/load';
import type { EvidenceSnapshot } from '../src/domain/engine/evidence';

/** The date the fixture is loaded at: after every dated figure in seeds/ (the lab's June 2026 evaluations, the November 2026 re-checks), so it holds the whole lab. */
export const LAB_NOW = '2026-12-01';

const outputFile = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'lab', 'lab.generated.json');

async function deriveLabSnapshot(): Promise<EvidenceSnapshot> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  try {
    await applyMigrations(database.adapterFactory);
    await seedDatabase(database.prisma);
    const snapshot = await loadEvidenceSnapshot(database.prisma, new Date(`${LAB_NOW}T00:00:00Z`));
    const pathSlugs = new Map(
      (await database.prisma.servingPath.findMany({ select: { id: true, slug: true } })).map((row) => [
        row.id,
        row.slug,
      ]),
    );
    const fingerprints = new Map(
      (await database.prisma.benchmarkResult.findMany({ select: { id: true, fingerprint: true } })).map(
        (row) => [row.id, row.fingerprint],
      ),
    );
    const stable = (names: Map<string, string>, id: string) => {
      const name = names.get(id);
      if (name === undefined) throw new Error(`no stable name for row ${id}`);
      return name;
    };
    return {
      ...snapshot,
      paths: snapshot.paths.map((servingPath) => ({ ...servingPath, id: stable(pathSlugs, servingPath.id) })),
      throughput: snapshot.throughput.map((result) => ({ ...result, id: stable(fingerprints, result.id) })),
    };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  // decimal.js writes itself as its exact string through toJSON.
  const derived = `${JSON.stringify(await deriveLabSnapshot(), null, 2)}\n`;
  if (!check) {
    await writeFile(outputFile, derived);
    console.log(`wrote ${path.relative(process.cwd(), outputFile)}`);
    return;
  }
  const committed = await readFile(outputFile, 'utf8').catch(() => '');
  if (committed !== derived) {
    console.error(
      `${path.relative(process.cwd(), outputFile)} is stale: seeds/ (or the evidence loader) changed since it was derived. Run npm run fixtures:lab and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), outputFile)} matches seeds/`);
}

await main();
