import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';
import { usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  embeddedEnvironment,
  runCli,
  startApiProcess,
} from '../../support/processes';

/**
 * A new user's first hour, as the README tells it, with real processes on a fresh embedded data
 * folder: the server (what `npm start` runs) in one terminal; in another, the bot's token, an
 * import, their own LoRA added to the catalog, benched, imported and decided on; and GraphQL seeing
 * all of it at once, through the running server.
 */

async function finished(child: ChildHandle): Promise<string> {
  const code = await child.exited;
  if (code !== 0) throw new Error(`exited ${code}:\n${child.output()}`);
  return child.output();
}

function tokenIn(output: string): string {
  const token = output.match(/fp_[\w-]+/)?.[0];
  if (!token) throw new Error(`no token in:\n${output}`);
  return token;
}

async function graphql<Data>(api: ApiProcess, token: string, query: string, variables = {}) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
  if (!body.data) throw new Error(`no data: ${JSON.stringify(body)}`);
  return body.data;
}

const DECIDE = /* GraphQL */ `
  query Decide($workload: WorkloadInput!) {
    decide(workload: $workload) {
      recommendation { pathSlug variantSlug }
      paths { pathSlug servedVariant requestedVariant }
    }
  }
`;

interface DecideAnswer {
  decide: {
    recommendation: { pathSlug: string; variantSlug: string } | null;
    paths: { pathSlug: string; servedVariant: string }[];
  };
}

const workload = (model: string) => ({
  requestsPerDay: 2000,
  meanInputTokens: 900,
  meanOutputTokens: 250,
  activeHoursPerDay: 10,
  activeDaysPerMonth: 22,
  model,
  needsCustomWeights: true,
  mustOwnWeights: true,
  minDecodeTokensPerSecond: 15,
});

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())(
  "a new user's first hour (README: Bring your own LoRA)",
  { timeout: 600_000 },
  () => {
    let dataDir: string;
    let api: ApiProcess | undefined;
    let vllm: FakeOpenAiServer;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'fp-first-hour-'));
      // vLLM serving the base model with the LoRA adapter under its own name (--lora-modules my-lora=…).
      vllm = await startFakeOpenAiServer({
        ttftMs: 5,
        tokenGapMs: 1,
        models: ['meta-llama/Llama-3.1-8B-Instruct', 'my-lora'],
      });
    });
    afterAll(async () => {
      await api?.kill('SIGKILL');
      await vllm.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('server in one terminal; token, import, own LoRA and a decision in another; GraphQL sees it all at once', async () => {
      const cli = (args: string[]) => finished(runCli(args, embeddedEnvironment(dataDir)));

      // Terminal 1: npm start on a fresh folder prints the first admin token.
      api = await startApiProcess({ dataDir });
      const admin = tokenIn(api.output());
      // Before anything is added, the server has answered (and cached) a decision on the lab's LoRA.
      const before = await graphql<DecideAnswer>(api, admin, DECIDE, {
        workload: workload('llama-3.1-8b-lora'),
      });
      expect(before.decide.recommendation).not.toBeNull();

      // Terminal 2: the bot's token, and the lab's results imported.
      const bot = tokenIn(await cli(['token', 'create', '--role', 'operator', '--name', 'slack-bot']));
      const labImport = await cli([
        'import',
        'test/fixtures/imports/guidellm-v0.3.json',
        '--box',
        'dgx-spark',
        '--variant',
        'llama-3.1-8b-lora',
      ]);
      expect(labImport).toMatch(/Stored [1-9]\d* new result\(s\) for dgx-spark \/ llama-3\.1-8b-lora/);

      // Bring your own LoRA: add it to the catalog, bench it, import its results, decide on it.
      expect(await cli(['catalog', 'add', 'examples/my-lora/catalog.yaml'])).toContain(
        'Added model variant my-lora',
      );
      const bench = JSON.parse(
        await cli([
          'bench',
          '--endpoint',
          vllm.url,
          '--model',
          'my-lora',
          '--concurrency',
          '1',
          '--prompts',
          '4',
          '--input-tokens',
          '16',
          '--output-tokens',
          '5',
          '--json',
        ]),
      ) as { summaries: { completed: number }[] };
      expect(bench.summaries.map((summary) => summary.completed)).toEqual([4]);
      const loraImport = await cli([
        'import',
        'test/fixtures/imports/guidellm-v0.4.json',
        '--box',
        'dgx-spark',
        '--variant',
        'my-lora',
      ]);
      expect(loraImport).toContain('Stored 2 new result(s) for dgx-spark / my-lora');
      const decided = JSON.parse(
        await cli(['decide', '--workload', 'examples/my-lora/workload.json', '--json']),
      ) as {
        recommendation: { pathSlug: string; variantSlug: string } | null;
      };
      expect(decided.recommendation).toEqual(
        expect.objectContaining({ pathSlug: 'dgx-spark', variantSlug: 'my-lora' }),
      );

      // GraphQL, with the token the running server did not create, sees both at once: no restart.
      const seen = await graphql<{
        lab: { edges: unknown[] };
        mine: { edges: unknown[] };
        modelVariants: { slug: string }[];
      }>(
        api,
        bot,
        `{
        lab: benchmarkResults(box: "dgx-spark", variant: "llama-3.1-8b-lora", first: 100) { edges { node { id } } }
        mine: benchmarkResults(box: "dgx-spark", variant: "my-lora", first: 100) { edges { node { id } } }
        modelVariants { slug }
      }`,
      );
      expect(seen.mine.edges).toHaveLength(2);
      expect(seen.lab.edges.length).toBeGreaterThan(0);
      expect(seen.modelVariants.map((variant) => variant.slug)).toContain('my-lora');
      // And the server's own decide answers for the LoRA at once, though it had cached evidence before.
      const after = await graphql<DecideAnswer>(api, bot, DECIDE, { workload: workload('my-lora') });
      expect(after.decide.recommendation).toEqual({ pathSlug: 'dgx-spark', variantSlug: 'my-lora' });
      expect(after.decide.paths.find((answer) => answer.pathSlug === 'dgx-spark')?.servedVariant).toBe(
        'my-lora',
      );
    });
  },
);
