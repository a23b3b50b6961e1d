import { resultFingerprinter, runFingerprint } from './content-fingerprint';
import { decodeDocument } from './decode-document';
import { looksLikeGuideLlmReport, parseGuideLlmReport } from './guidellm-report';
import { ImportError } from './import-error';
import type { ImportedBenchmarkResult, ImportParseResult } from './imported-result';
import { looksLikeVllmBenchServe, parseVllmBenchServe } from './vllm-bench-serve';

/**
 * Detects and parses a benchmark result file: `vllm bench serve --save-result` JSON or a GuideLLM
 * report (JSON or YAML). Pure: takes the text, returns canonical results, or throws ImportError
 * naming the file, the path inside it and what was expected. Nothing partial comes back.
 */
export function parseResultFile(fileName: string, content: string): ImportParseResult {
  return parseResultDocument(fileName, decodeDocument(fileName, content).document);
}

/** `parseResultFile` of a document already decoded (e.g. built by StreamedJsonObject). */
export function parseResultDocument(fileName: string, document: unknown): ImportParseResult {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ImportError(
      fileName,
      '',
      `expected an object at the top of the file, got ${describeTop(document)}`,
    );
  }
  const record = document as Record<string, unknown>;
  const fingerprintOf = resultFingerprinter(record);

  if (looksLikeGuideLlmReport(record)) {
    return {
      fileName,
      format: 'guidellm',
      results: parseGuideLlmReport(fileName, record, fingerprintOf).map(identifiedByRun),
    };
  }
  if (looksLikeVllmBenchServe(record)) {
    return {
      fileName,
      format: 'vllm-bench-serve',
      results: [identifiedByRun(parseVllmBenchServe(fileName, record, fingerprintOf(0)))],
    };
  }
  throw new ImportError(
    fileName,
    '',
    'a known result format: vllm bench serve --save-result JSON (keys such as completed, duration, mean_ttft_ms) or a GuideLLM report (a benchmarks list)',
  );
}

/**
 * One fingerprint per run across import formats (see `runFingerprint`); the content hash of the file
 * only when the file does not say when the run started.
 */
function identifiedByRun(result: ImportedBenchmarkResult): ImportedBenchmarkResult {
  return { ...result, fingerprint: runFingerprint(result) ?? result.contentFingerprint };
}

function describeTop(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}
