import type { z } from 'zod';
import { formatJsonPath, ImportError } from './import-error';

/** Validates with zod and turns the first issue into an ImportError that names the spot. */
export function validateOrThrow<Schema extends z.ZodType>(
  fileName: string,
  schema: Schema,
  value: unknown,
  pathPrefix: readonly PropertyKey[] = [],
): z.output<Schema> {
  const outcome = schema.safeParse(value);
  if (outcome.success) return outcome.data;
  const issue = outcome.error.issues[0];
  if (issue === undefined) throw new ImportError(fileName, formatJsonPath(pathPrefix), 'a valid value');
  const fullPath = [...pathPrefix, ...issue.path];
  throw new ImportError(fileName, formatJsonPath(fullPath), describeIssue(issue, valueAt(value, issue.path)));
}

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${describeValue(received)}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(received)}`;
    case 'too_big':
      return `expected ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, got ${describeValue(received)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}, got ${describeValue(received)}`;
    default:
      return `${issue.message}, got ${describeValue(received)}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (key missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
