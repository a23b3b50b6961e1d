import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const IMPORT_FIXTURES_DIRECTORY = fileURLToPath(new URL('../../fixtures/imports/', import.meta.url));

export function readImportFixture(name: string): string {
  return readFileSync(`${IMPORT_FIXTURES_DIRECTORY}${name}`, 'utf8');
}
