import { parse as parseYaml } from 'yaml';
import { ImportError } from './import-error';

export type DocumentSyntax = 'json' | 'yaml';

/**
 * Turns file text into a plain value. `.json` is parsed strictly as JSON (YAML would accept a
 * truncated JSON file as a string and hide the damage); `.yaml`/`.yml` as YAML; anything else is
 * tried as JSON first, then YAML.
 */
export function decodeDocument(
  fileName: string,
  content: string,
): { document: unknown; syntax: DocumentSyntax } {
  const lowerName = fileName.toLowerCase();
  if (lowerName.endsWith('.yaml') || lowerName.endsWith('.yml')) {
    return { document: decodeYaml(fileName, content), syntax: 'yaml' };
  }
  if (lowerName.endsWith('.json') || content.trimStart().startsWith('{')) {
    return { document: decodeJson(fileName, content), syntax: 'json' };
  }
  return { document: decodeYaml(fileName, content), syntax: 'yaml' };
}

function decodeJson(fileName: string, content: string): unknown {
  try {
    return JSON.parse(replacePythonNonFiniteLiterals(content));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportError(fileName, '', `valid JSON (${reason}${lineAndColumnOf(content, reason)})`);
  }
}

function decodeYaml(fileName: string, content: string): unknown {
  try {
    // maxAliasCount guards against alias bombs in files from outside.
    return parseYaml(content, { maxAliasCount: 1000, prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ImportError(fileName, '', `valid YAML (${reason})`);
  }
}

/**
 * Python's `json.dump` writes `NaN`, `Infinity` and `-Infinity` (vLLM does when no request
 * succeeded: numpy's mean of nothing is NaN), which JSON.parse rejects. Outside strings they
 * become `null`, which the schemas treat as "not reported".
 */
export function replacePythonNonFiniteLiterals(text: string): string {
  // Most files have none: skip the scan (and any copy) of a file of tens of megabytes.
  if (!/NaN|Infinity/.test(text)) return text;
  // Untouched stretches are kept as slices and joined once: appending character by character
  // builds a rope of one node per character, gigabytes for a large --save-detailed file.
  const parts: string[] = [];
  let copiedUpTo = 0;
  let index = 0;
  let inString = false;
  while (index < text.length) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 92 /* \\ */) index += 2;
      else {
        if (character === 34 /* " */) inString = false;
        index += 1;
      }
      continue;
    }
    if (character === 34) {
      inString = true;
      index += 1;
      continue;
    }
    const literal =
      character === 78 /* N */ || character === 73 /* I */ || character === 45 /* - */
        ? ['-Infinity', 'Infinity', 'NaN'].find((candidate) => text.startsWith(candidate, index))
        : undefined;
    if (literal !== undefined) {
      parts.push(text.slice(copiedUpTo, index), 'null');
      index += literal.length;
      copiedUpTo = index;
      continue;
    }
    index += 1;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/** JSON.parse reports a character offset; people look for lines. */
function lineAndColumnOf(content: string, reason: string): string {
  const match = /position (\d+)/.exec(reason);
  if (match === null) return '';
  const offset = Number(match[1]);
  const before = content.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `; line ${line}, column ${column}`;
}
