import { readdirSync, readFileSync } from 'node:fs';

/**
 * The bot's GraphQL operations live as `.graphql` documents in `schema/operations/bot/`, next to
 * the printed SDL, so a schema change that breaks one is caught by validating documents against the
 * schema rather than by a Slack user. Fragments sit in `fragments.graphql`; each operation is sent
 * with exactly the fragments it spreads (GraphQL refuses unused fragments).
 */
export const BOT_OPERATIONS_DIRECTORY = new URL('../../schema/operations/bot/', import.meta.url);

export type OperationName =
  | 'Decide'
  | 'ServingPaths'
  | 'CostCurve'
  | 'CreateBenchmarkRun'
  | 'CancelBenchmarkRun'
  | 'BenchmarkRun'
  | 'BenchmarkRuns'
  | 'BenchmarkRunProgress'
  | 'AccessPaths'
  | 'SaveDecision'
  | 'RecentDecisions';

const DEFINITION_PATTERN = /\b(query|mutation|subscription|fragment)\s+([A-Za-z_][A-Za-z0-9_]*)/g;

interface Definition {
  kind: string;
  name: string;
  text: string;
}

/** Splits a document into its top-level definitions by brace depth (comments and strings aside). */
function splitDefinitions(source: string): Definition[] {
  const stripped = source.replace(/#[^\n]*/g, '');
  const definitions: Definition[] = [];
  for (const match of stripped.matchAll(DEFINITION_PATTERN)) {
    const start = match.index ?? 0;
    // Only definitions at depth 0 count: a field named `query` inside braces is not one.
    let depthBefore = 0;
    for (const character of stripped.slice(0, start)) {
      if (character === '{') depthBefore += 1;
      else if (character === '}') depthBefore -= 1;
    }
    if (depthBefore !== 0) continue;
    let depth = 0;
    let end = start;
    let opened = false;
    for (let index = start; index < stripped.length; index += 1) {
      const character = stripped[index];
      if (character === '{') {
        depth += 1;
        opened = true;
      } else if (character === '}') {
        depth -= 1;
        if (opened && depth === 0) {
          end = index + 1;
          break;
        }
      }
    }
    definitions.push({ kind: match[1] ?? '', name: match[2] ?? '', text: stripped.slice(start, end).trim() });
  }
  return definitions;
}

function spreadNames(text: string): string[] {
  return [...text.matchAll(/\.\.\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => name !== 'on');
}

export function loadOperationDocuments(directory: URL = BOT_OPERATIONS_DIRECTORY): Map<string, string> {
  const definitions = readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => splitDefinitions(readFileSync(new URL(file, directory), 'utf8')));
  const fragments = new Map(
    definitions.filter((definition) => definition.kind === 'fragment').map((d) => [d.name, d.text]),
  );
  const documents = new Map<string, string>();
  for (const operation of definitions.filter((definition) => definition.kind !== 'fragment')) {
    const needed = new Set<string>();
    const pending = spreadNames(operation.text);
    while (pending.length > 0) {
      const name = pending.pop() ?? '';
      if (needed.has(name)) continue;
      const fragment = fragments.get(name);
      if (fragment === undefined)
        throw new Error(`Operation ${operation.name} spreads unknown fragment ${name}`);
      needed.add(name);
      pending.push(...spreadNames(fragment));
    }
    documents.set(
      operation.name,
      [operation.text, ...[...needed].sort().map((name) => fragments.get(name) ?? '')].join('\n\n'),
    );
  }
  return documents;
}
