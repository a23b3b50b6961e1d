import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadOperationDocuments } from '../../../clients/graphql/operations';

const SDL_PATH = new URL('../../../schema/schema.graphql', import.meta.url);

describe('the bot operation documents', () => {
  const documents = loadOperationDocuments();

  it('define every operation the client sends, each with only the fragments it uses', () => {
    expect([...documents.keys()].sort()).toEqual([
      'AccessPaths',
      'BenchmarkRun',
      'BenchmarkRunProgress',
      'BenchmarkRuns',
      'CancelBenchmarkRun',
      'CreateBenchmarkRun',
      'Decide',
      'RecentDecisions',
      'SaveDecision',
      'ServingPaths',
    ]);
    expect(documents.get('ServingPaths')).not.toContain('fragment');
    expect(documents.get('BenchmarkRuns')).toContain('fragment BotRunSummary');
    expect(documents.get('BenchmarkRuns')).not.toContain('fragment BotRun ');
  });

  it.runIf(existsSync(SDL_PATH))('validate against the printed SDL (schema/schema.graphql)', () => {
    const schema = buildSchema(readFileSync(SDL_PATH, 'utf8'));
    for (const [name, document] of documents) {
      const errors = validate(schema, parse(document)).map((error) => `${name}: ${error.message}`);
      expect(errors).toEqual([]);
    }
  });
});
