import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/domain/imports/import-error';
import { parseResultFile } from '../../../src/domain/imports/parse-result-file';
import { readImportFixture } from './fixture-files';

/** The contract under mutation: a result, or an ImportError; never another exception. */
function parsesOrRefusesCleanly(fileName: string, content: string): boolean {
  try {
    parseResultFile(fileName, content);
    return true;
  } catch (error) {
    if (error instanceof ImportError) return true;
    throw error;
  }
}

const VALID_FIXTURES = [
  'vllm-new.json',
  'vllm-old.json',
  'vllm-detailed.json',
  'guidellm-v0.3.json',
  'guidellm-v0.7.json',
];

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Every path to a value in a JSON document, so that a mutation can target any of them. */
function pathsOf(value: JsonValue, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return here;
}

function replaceAt(
  root: JsonValue,
  path: (string | number)[],
  replacement: JsonValue | undefined,
): JsonValue {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(root) as Record<string | number, JsonValue>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, JsonValue>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

describe.each(VALID_FIXTURES)('mutations of %s', (fileName) => {
  const content = readImportFixture(fileName);
  const document = JSON.parse(content) as JsonValue;
  const paths = pathsOf(document);

  it('parses it unmutated', () => {
    expect(parseResultFile(fileName, content).results.length).toBeGreaterThan(0);
  });

  it('truncation anywhere parses or throws ImportError', () => {
    fc.assert(
      fc.property(fc.nat({ max: content.length }), (cut) =>
        parsesOrRefusesCleanly(fileName, content.slice(0, cut)),
      ),
      { numRuns: 150 },
    );
  });

  it('character edits anywhere parse or throw ImportError', () => {
    fc.assert(
      fc.property(fc.nat({ max: content.length - 1 }), fc.string({ maxLength: 3 }), (position, inserted) =>
        parsesOrRefusesCleanly(fileName, content.slice(0, position) + inserted + content.slice(position + 1)),
      ),
      { numRuns: 150 },
    );
  });

  it('replacing or deleting any value parses or throws ImportError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.option(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, { nil: undefined }),
        (path, replacement) =>
          parsesOrRefusesCleanly(fileName, JSON.stringify(replaceAt(document, path, replacement))),
      ),
      { numRuns: 300 },
    );
  });
});
