/**
 * The one error an import raises for a file it cannot take: names the file, the path inside it
 * (`benchmarks[2].metrics.time_to_first_token_ms.successful.median`, or `(root)`) and what was
 * expected there, so that whoever exported the file can find and fix the spot.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly fileName: string,
    readonly jsonPath: string,
    readonly expected: string,
  ) {
    super(`${fileName}: at ${jsonPath === '' ? '(root)' : jsonPath}: ${expected}`);
  }
}

/** Renders a path the way a reader would write it in JavaScript: `a.b[2].c`, `["p99.9_ttft_ms"]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) path += path === '' ? key : `.${key}`;
      else path += `[${JSON.stringify(key)}]`;
    }
  }
  return path;
}
