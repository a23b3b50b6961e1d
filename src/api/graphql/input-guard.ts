import {
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { ValidationError, type ValidationIssue } from '../../domain/errors';

/**
 * The one place where every argument is checked against what PostgreSQL can store before any
 * resolver sees it (RELIABILITY promise 15). Postgres refuses NUL characters in text and JSON,
 * dates outside its range, and index entries over ~2.7 kB; each of those used to surface as
 * "Unexpected error.". Here they are a BAD_USER_INPUT naming the argument path, and an oversized
 * value is never echoed back.
 */

/** Identifiers, names and slugs: short enough for any unique index (4 bytes a character, < 2,704). */
export const DEFAULT_MAX_STRING_LENGTH = 500;
const FREE_TEXT = 10_000;
/** Whole files sent as a string; the request body limit (100 kB) bounds them first. */
const FILE_TEXT = 5_000_000;

/** Arguments and input fields that hold more than an identifier, by schema coordinate. */
export const MAX_STRING_LENGTH: Readonly<Record<string, number>> = {
  'Mutation.importPrices.file': FILE_TEXT,
  'Mutation.importPrices.mapping': FILE_TEXT,
  'ResultFileInput.content': FILE_TEXT,
  'Mutation.failBenchmarkRun.reason': FREE_TEXT,
  'Mutation.releaseBenchmarkRun.reason': FREE_TEXT,
  'RecordAccessAttemptInput.notes': FREE_TEXT,
  'UpdatePriceComponentInput.note': FREE_TEXT,
  'UpdatePriceComponentInput.source': FREE_TEXT,
  'UpdatePriceComponentInput.sourceUrl': FREE_TEXT,
  'RecordQualityEvaluationInput.source': FREE_TEXT,
  'BenchmarkRunSpecInput.datasetPath': FREE_TEXT,
};

/** Years every date column (timestamp and date) holds, and every client prints as four digits. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;
/** JSON arguments nest at most this deep (Postgres' jsonb parser has a stack too). */
export const MAX_JSON_DEPTH = 32;

type Check = (value: unknown, path: string, issues: ValidationIssue[]) => void;

export function guardInputs(schema: GraphQLSchema): GraphQLSchema {
  const coordinates = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const checks: [string, Check][] = [];
      for (const arg of field.args) {
        const check = checkFor(arg.type, `${type.name}.${field.name}.${arg.name}`, coordinates);
        if (check) checks.push([arg.name, check]);
      }
      if (checks.length > 0) wrap(field, checks);
    }
  }
  const unknown = Object.keys(MAX_STRING_LENGTH).filter((coordinate) => !coordinates.has(coordinate));
  if (unknown.length > 0)
    throw new Error(`MAX_STRING_LENGTH names no string in the schema: ${unknown.join(', ')}`);
  return schema;
}

function wrap(field: GraphQLField<unknown, unknown>, checks: [string, Check][]): void {
  const validate = (args: Record<string, unknown>) => {
    const issues: ValidationIssue[] = [];
    for (const [name, check] of checks) check(args[name], name, issues);
    if (issues.length > 0) throw new ValidationError(issues, `Invalid input to ${field.name}`);
  };
  const resolve = field.resolve ?? defaultFieldResolver;
  if (field.subscribe) {
    const subscribe = field.subscribe;
    field.subscribe = (source, args, context, info) => {
      validate(args);
      return subscribe(source, args, context, info);
    };
    return;
  }
  field.resolve = (source, args, context, info) => {
    validate(args);
    return resolve(source, args, context, info);
  };
}

/** A checker for values of one input type, or null when nothing of it can hurt the database. */
function checkFor(type: GraphQLInputType, coordinate: string, coordinates: Set<string>): Check | null {
  if (isNonNullType(type)) return checkFor(type.ofType, coordinate, coordinates);
  if (isListType(type)) {
    const item = checkFor(type.ofType, coordinate, coordinates);
    if (!item) return null;
    return (value, path, issues) => {
      if (!Array.isArray(value)) return item(value, path, issues);
      for (const [index, element] of value.entries()) item(element, `${path}.${index}`, issues);
    };
  }
  if (isInputObjectType(type)) {
    const fields: [string, Check][] = [];
    // Input types can be recursive; none of floorplan's are, and a cycle here would not terminate.
    for (const field of Object.values(type.getFields())) {
      const check = checkFor(field.type, `${type.name}.${field.name}`, coordinates);
      if (check) fields.push([field.name, check]);
    }
    if (fields.length === 0) return null;
    return (value, path, issues) => {
      if (value === null || typeof value !== 'object') return;
      for (const [name, check] of fields)
        check((value as Record<string, unknown>)[name], `${path}.${name}`, issues);
    };
  }
  if (!isScalarType(type)) return null;
  switch (type.name) {
    case 'String':
    case 'ID': {
      coordinates.add(coordinate);
      const maxLength = MAX_STRING_LENGTH[coordinate] ?? DEFAULT_MAX_STRING_LENGTH;
      return (value, path, issues) => {
        if (typeof value === 'string') checkString(value, path, maxLength, issues);
      };
    }
    case 'JSON':
      return (value, path, issues) => checkJson(value, path, 0, issues);
    case 'DateTime':
      return (value, path, issues) => {
        if (value instanceof Date) checkDate(value, path, issues);
      };
    default:
      return null;
  }
}

/** Half of a UTF-16 surrogate pair without its other half: not a character of any encoding. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What keeps a text from being stored as it was sent, or null: Postgres refuses NUL in text and
 * JSON, and a lone surrogate in JSON (in text it would silently become U+FFFD).
 */
function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'a NUL character (\\u0000), which cannot be stored: remove it';
  if (LONE_SURROGATE.test(value))
    return 'half of a UTF-16 surrogate pair (\\ud800-\\udfff) without the other half, which is not a character: remove it or send the whole character';
  return null;
}

function checkString(value: string, path: string, maxLength: number, issues: ValidationIssue[]): void {
  if (value.length > maxLength) {
    issues.push({
      path,
      message: `is ${value.length.toLocaleString('en-US')} characters long; at most ${maxLength.toLocaleString('en-US')} are accepted`,
    });
    return;
  }
  const unstorable = unstorableText(value);
  if (unstorable) issues.push({ path, message: `contains ${unstorable}` });
}

function checkDate(value: Date, path: string, issues: ValidationIssue[]): void {
  const year = value.getUTCFullYear();
  if (Number.isNaN(year) || year < MIN_YEAR || year > MAX_YEAR) {
    issues.push({
      path,
      message: `must be a date between the years ${MIN_YEAR} and ${MAX_YEAR}, e.g. "2026-06-08T15:00:00Z"`,
    });
  }
}

function checkJson(value: unknown, path: string, depth: number, issues: ValidationIssue[]): void {
  if (typeof value === 'string') {
    const unstorable = unstorableText(value);
    if (unstorable) issues.push({ path, message: `contains ${unstorable}` });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) {
    issues.push({ path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  const before = issues.length;
  for (const [key, element] of Object.entries(value)) {
    const shownKey = (key.length > 40 ? `${key.slice(0, 40)}…` : key).replaceAll('\u0000', '\\u0000');
    const elementPath = `${path}.${shownKey}`;
    const unstorableKey = unstorableText(key);
    if (unstorableKey) issues.push({ path: elementPath, message: `has a key with ${unstorableKey}` });
    checkJson(element, elementPath, depth + 1, issues);
    // One bad JSON value is enough to say what to fix; a million of them would make a huge answer.
    if (issues.length - before >= 10) return;
  }
}
