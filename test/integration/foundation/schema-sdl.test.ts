import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from '../../../src/cli/print-schema';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npx floorplan schema:print` after changing types)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });
});
