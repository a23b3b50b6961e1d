import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../support/database';
import { embeddedEnvironment, runCli } from '../../support/processes';

/**
 * `npx floorplan catalog add|edit FILE.yaml` as a user runs it (a real process on a fresh embedded
 * folder): a file with problems is refused whole, each problem named by its path in the file, exit
 * 2; a good edit reports each row it changed (the price history itself is checked in catalog-editing.test.ts).
 */

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())('floorplan catalog', { timeout: 240_000 }, () => {
  let dataDir: string;
  let files: string;
  const cli = async (args: string[]) => {
    const child = runCli(args, embeddedEnvironment(dataDir));
    return { code: await child.exited, output: child.output() };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fp-catalog-'));
    files = await mkdtemp(path.join(tmpdir(), 'fp-catalog-files-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(files, { recursive: true, force: true });
  });

  it('refuses a bad file whole, naming each field; an edit reports what it changed', async () => {
    const bad = path.join(files, 'bad.yaml');
    await writeFile(
      bad,
      [
        'variants:',
        '  - { slug: my-lora, name: Mine, model: llama-3.1-8b-instruct, isFineTuned: true, method: LORA, weightsLocation: here, weightsExportable: true }',
        '  - { slug: typo-lora, name: Typo, model: llama-9b, isFineTuned: true, method: LORA, weightLocation: here, weightsExportable: true }',
      ].join('\n'),
    );
    const refused = await cli(['catalog', 'add', bad]);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(`${bad}: nothing was written:`);
    expect(refused.output).toMatch(/variants\[1\]\.weightsLocation: required/);
    expect(refused.output).toMatch(/variants\[1\]: unknown field\(s\) weightLocation/);

    // The first variant was valid, but the file was refused as a whole: it can be added now.
    const good = path.join(files, 'good.yaml');
    await writeFile(
      good,
      'variants:\n  - { slug: my-lora, name: Mine, model: llama-3.1-8b-instruct, isFineTuned: true, method: LORA, weightsLocation: here, weightsExportable: true }\n',
    );
    expect(await cli(['catalog', 'add', good])).toEqual({
      code: 0,
      output: expect.stringContaining('Added model variant my-lora'),
    });
    const unknownModel = path.join(files, 'unknown.yaml');
    await writeFile(unknownModel, 'variants:\n  - { slug: my-lora, model: llama-9b }\n');
    const missing = await cli(['catalog', 'edit', unknownModel]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(
      /variants\[0\]\.model: no model "llama-9b" \(known: .*llama-3\.1-8b-instruct/,
    );

    const edit = path.join(files, 'edit.yaml');
    await writeFile(
      edit,
      [
        'priceComponents:',
        '  - { slug: dgx-spark-electricity, amount: "0.31", source: "our tariff", asOf: 2026-11-30, confidence: C }',
        'variants:',
        '  - { slug: my-lora, notes: retrained }',
      ].join('\n'),
    );
    const edited = await cli(['catalog', 'edit', edit, '--json']);
    expect(edited.code).toBe(0);
    expect(JSON.parse(edited.output.slice(edited.output.indexOf('{')))).toEqual({
      changes: [
        { entityType: 'ModelVariant', slug: 'my-lora', action: 'UPDATED' },
        { entityType: 'PriceComponent', slug: 'dgx-spark-electricity', action: 'UPDATED' },
      ],
    });
  });
});
