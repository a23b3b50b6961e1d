import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportFiles } from '../../../src/cli/commands/import';
import { replacePythonNonFiniteLiterals } from '../../../src/domain/imports/decode-document';
import { ImportError } from '../../../src/domain/imports/import-error';
import { parseResultFile } from '../../../src/domain/imports/parse-result-file';
import { StreamedJsonObject } from '../../../src/domain/imports/streamed-json-object';
import { IMPORT_FIXTURES_DIRECTORY, readImportFixture } from './fixture-files';

/** The text fed in pieces of `size` characters; null when the builder gave up. */
function streamed(text: string, size: number): Record<string, unknown> | null {
  const builder = new StreamedJsonObject();
  for (let start = 0; start < text.length; start += size) {
    if (!builder.feed(text.slice(start, start + size))) return null;
  }
  return builder.finish();
}

const SIZES = [1, 2, 3, 7, 64, 4096, 1 << 20];

const DOCUMENTS = [
  '{}',
  ' \n\t{ } \r\n',
  '{"a": []}',
  '{"a":[],"b":{}}',
  '{"ttfts": [0.1, 0.2, 1e-7, -0, 5e-324, 1.7976931348623157e308, 123456789.12345679], "n": 3}',
  '{"itls": [[0.028, 0.031], [], [1, [2, {"x": "]}"}]]], "texts": ["a, b", "q\\"}]", "\\\\", "é ✗ \\u00e9", null]}',
  '{"nested": {"a": [1, {"b": "}"}], "c": null}, "flag": true, "off": false, "s": "x"}',
  '{"mean_ttft_ms": NaN, "p99_ttft_ms": Infinity, "x": -Infinity, "list": [NaN, 1, -Infinity], "t": "NaN stays"}',
  '{"dup": 1, "other": [1], "dup": [2, 3]}',
  '{"1": "integer-like keys come first", "b": 1, "0": 2}',
  '{"a" :  [ 1 , 2 ] , "b" : "c" }',
];

describe('StreamedJsonObject', () => {
  it.each(DOCUMENTS)('builds what JSON.parse of the whole text gives, in any pieces: %s', (text) => {
    const whole = JSON.parse(replacePythonNonFiniteLiterals(text));
    for (const size of SIZES) {
      const document = streamed(text, size);
      expect(document).toEqual(whole);
      expect(Object.keys(document ?? {})).toEqual(Object.keys(whole));
      expect(JSON.stringify(document)).toBe(JSON.stringify(whole));
    }
  });

  it.each([
    ['a top level that is not an object', '[1, 2]'],
    ['a scalar top level', '12'],
    ['a byte-order mark', '\uFEFF{"a": 1}'],
    ['a __proto__ key', '{"__proto__": {"polluted": true}}'],
    ['a truncated file', '{"a": [1, 2'],
    ['a truncated scalar', '{"a": 1'],
    ['a trailing comma in an array', '{"a": [1, 2,]}'],
    ['a trailing comma in the object', '{"a": 1,}'],
    ['a missing comma', '{"a": [1 2]}'],
    ['a missing colon', '{"a" 1}'],
    ['an unquoted key', '{a: 1}'],
    ['a bad number', '{"a": [1.5e]}'],
    ['a bad literal', '{"a": tru}'],
    ['text after the object', '{"a": 1} x'],
    ['a second object', '{"a": 1}{"b": 2}'],
    ['an empty value', '{"a": }'],
    ['an empty element', '{"a": [,1]}'],
  ])('gives up on %s (the caller then reads the file whole)', (_name, text) => {
    for (const size of SIZES) expect(streamed(text, size)).toBeNull();
  });
});

describe('parseImportFiles reads .json files in pieces', () => {
  const jsonFixtures = readdirSync(IMPORT_FIXTURES_DIRECTORY).filter((name) => name.endsWith('.json'));

  it.each(jsonFixtures.filter((name) => !name.startsWith('broken')))(
    '%s: the same results as parsing the whole text',
    async (name) => {
      const path = join(IMPORT_FIXTURES_DIRECTORY, name);
      expect(streamed(readImportFixture(name), 4096)).not.toBeNull();
      const [fromPieces] = await parseImportFiles([path]);
      expect(fromPieces).toEqual({ ...parseResultFile(name, readImportFixture(name)), fileName: path });
    },
  );

  it.each(jsonFixtures.filter((name) => name.startsWith('broken')))(
    '%s: the same refusal as parsing the whole text',
    async (name) => {
      const path = join(IMPORT_FIXTURES_DIRECTORY, name);
      let whole: ImportError | undefined;
      try {
        parseResultFile(name, readImportFixture(name));
      } catch (error) {
        whole = error as ImportError;
      }
      expect(whole).toBeInstanceOf(ImportError);
      await expect(parseImportFiles([path])).rejects.toMatchObject({
        fileName: path,
        jsonPath: whole?.jsonPath,
        expected: whole?.expected,
      });
    },
  );
});
