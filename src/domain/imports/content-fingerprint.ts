import { createHash } from 'node:crypto';

/**
 * Serialises a parsed document with object keys sorted, so that the same content gives the same
 * text whatever the key order, whitespace or syntax (a JSON and a YAML copy of one report agree).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Identity of one result inside one file: importing the same file twice yields the same
 * fingerprints, so the store can upsert on it. The index separates the benchmarks of one report.
 */
export function resultFingerprint(canonicalDocument: string, resultIndex: number): string {
  return sha256Hex(`${canonicalDocument}\n#result:${resultIndex}`);
}
