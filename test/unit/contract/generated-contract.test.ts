import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../../codegen';

/**
 * The contract between the API and its clients is generated: this fails when
 * clients/graphql/operations.generated.ts is not what `npm run codegen` writes from today's SDL and
 * operation documents, and when an operation no longer validates against the SDL.
 */
const REPOSITORY = path.resolve(import.meta.dirname, '..', '..', '..');
const OUTPUT = 'clients/graphql/operations.generated.ts';

async function generateInMemory(documents: string | string[]): Promise<string> {
  const target = config.generates[OUTPUT];
  if (target === undefined || Array.isArray(target) || typeof target !== 'object') {
    throw new Error(`codegen.ts no longer generates ${OUTPUT}`);
  }
  const files = await generate(
    {
      ...config,
      cwd: REPOSITORY,
      documents,
      silent: true,
      errorsOnly: true,
      generates: { [OUTPUT]: target },
    },
    false,
  );
  const [file] = files as { filename: string; content: string }[];
  if (file === undefined) throw new Error('codegen produced nothing');
  return file.content;
}

describe('the generated GraphQL contract', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'floorplan-contract-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is up to date with schema/schema.graphql and schema/operations/ (run `npm run codegen`)', async () => {
    const generated = await generateInMemory(config.documents as string);
    const committed = readFileSync(path.join(REPOSITORY, OUTPUT), 'utf8');
    expect(
      committed === generated,
      'clients/graphql/operations.generated.ts is stale: run `npm run codegen`',
    ).toBe(true);
  });

  it('refuses an operation that does not validate against the SDL, naming the field', async () => {
    const broken = path.join(scratch, 'Broken.graphql');
    writeFileSync(broken, 'query Broken { servingPaths { slug noSuchField } }\n');
    await expect(generateInMemory([config.documents as string, broken])).rejects.toThrow(/noSuchField/);
  });
});
