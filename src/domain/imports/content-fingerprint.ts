import { createHash, type Hash } from 'node:crypto';

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

/**
 * The same text as `canonicalJson`, fed to a hash piece by piece instead of built whole: a
 * `--save-detailed` file of tens of megabytes would otherwise be held again as one string (and
 * its pieces) just to be hashed.
 */
function hashCanonicalJson(value: unknown, hash: Hash = createHash('sha256')): Hash {
  let buffered = '';
  const write = (text: string) => {
    buffered += text;
    if (buffered.length >= 65_536) {
      hash.update(buffered);
      buffered = '';
    }
  };
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) {
      write('[');
      item.forEach((entry, index) => {
        if (index > 0) write(',');
        visit(entry);
      });
      write(']');
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
      write('{');
      entries.forEach(([key, entry], index) => {
        write(`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`);
        visit(entry);
      });
      write('}');
    } else {
      write(canonicalJson(item));
    }
  };
  visit(value);
  hash.update(buffered);
  return hash;
}

/** `resultFingerprint` of every result of one document, hashing the document once. */
export function resultFingerprinter(document: unknown): (resultIndex: number) => string {
  const hashed = hashCanonicalJson(document);
  return (resultIndex) => hashed.copy().update(`\n#result:${resultIndex}`).digest('hex');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Identity of one result inside one file: importing the same file twice yields the same
 * fingerprints, so the store can upsert on it. The index separates the benchmarks of one report.
 */
export function resultFingerprint(canonicalDocument: string, resultIndex: number): string {
  return sha256Hex(`${canonicalDocument}\n#result:${resultIndex}`);
}

/**
 * Identity of one benchmark run whatever file it came in: the tool family, the model, the moment it
 * started, its load profile, and its request and token counts. The same run saved two ways (vLLM
 * `--save-result` with and without `--save-detailed`; a GuideLLM report written by 0.4 and by 0.7)
 * gets one fingerprint, so it is stored once and weighs once in regression baselines. Latency
 * figures are left out on purpose: a detailed file lets the importer derive percentiles a summary
 * file does not carry. Null when the file gives no start time (the content hash is used then).
 */
export function runFingerprint(run: {
  sourceTool: string;
  modelId: string | null;
  startedAt: Date | null;
  summary: {
    profile: unknown;
    completed: number;
    failed: number;
    totalInputTokens: number;
    totalOutputTokens: number;
  };
}): string | null {
  if (run.startedAt === null || Number.isNaN(run.startedAt.getTime())) return null;
  const { profile, completed, failed, totalInputTokens, totalOutputTokens } = run.summary;
  return sha256Hex(
    canonicalJson({
      run: 'benchmark-run/v1',
      sourceTool: run.sourceTool,
      modelId: run.modelId,
      startedAt: run.startedAt.toISOString(),
      profile,
      completed,
      failed,
      totalInputTokens,
      totalOutputTokens,
    }),
  );
}
