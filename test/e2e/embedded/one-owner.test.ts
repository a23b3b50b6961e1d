import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readOwner } from '../../../src/db/embedded/owner';
import { usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  embeddedEnvironment,
  runCli,
  startApiProcess,
  waitFor,
} from '../../support/processes';

/**
 * RELIABILITY promise 18, with real processes on one embedded data folder: the server owns it,
 * commands run beside it write through it, nothing is lost across a restart or a kill -9, and a
 * second server is turned away.
 */

const IMPORT = [
  'import',
  'test/fixtures/imports/guidellm-v0.4.json',
  '--box',
  'dgx-spark',
  '--variant',
  'llama-3.1-8b-lora',
];

async function graphql(api: ApiProcess, token: string, query: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

async function resultCount(api: ApiProcess, token: string): Promise<number> {
  const answer = await graphql(
    api,
    token,
    '{ benchmarkResults(box: "dgx-spark", variant: "llama-3.1-8b-lora", first: 100) { edges { node { id } } } }',
  );
  if (answer.errors) throw new Error(answer.errors.map((error) => error.message).join('; '));
  const results = answer.data?.benchmarkResults as { edges: unknown[] } | undefined;
  if (!results) throw new Error(`no benchmarkResults in ${JSON.stringify(answer)}`);
  return results.edges.length;
}

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

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())(
  'the embedded database has one owner (RELIABILITY 18)',
  { timeout: 480_000 },
  () => {
    let dataDir: string;
    const running: ChildHandle[] = [];

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'fp-owner-'));
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((child) => child.kill('SIGKILL')));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('commands beside the server write through it: seen at once and after a restart; a second server is refused', async () => {
      const api = await startApiProcess({ dataDir });
      running.push(api);
      const seeded = await resultCount(api, tokenIn(api.output()));

      // Two commands at once, both beside the running server.
      const tokenCommand = runCli(
        ['token', 'create', '--role', 'viewer', '--name', 'bob'],
        embeddedEnvironment(dataDir),
      );
      const importCommand = runCli(IMPORT, embeddedEnvironment(dataDir));
      const [tokenOutput, importOutput] = await Promise.all([
        finished(tokenCommand),
        finished(importCommand),
      ]);
      expect(importOutput).toContain('Stored 2 new result(s)');
      const bob = tokenIn(tokenOutput);

      // At once, through the running server, with the token it did not create.
      expect(await resultCount(api, bob)).toBe(seeded + 2);

      // A token revoked beside the server is refused by the next request, though the server keeps
      // tokens between requests: it checks the folder's write position first.
      await finished(runCli(['token', 'revoke', '--name', 'bob'], embeddedEnvironment(dataDir)));
      const refused = await graphql(api, bob, '{ viewer { role } }');
      expect(refused.errors?.[0]?.message).toBe('Unknown or revoked API token.');
      const carol = tokenIn(
        await finished(
          runCli(['token', 'create', '--role', 'viewer', '--name', 'carol'], embeddedEnvironment(dataDir)),
        ),
      );

      // A second server on the same folder is turned away, naming the one that holds it.
      await expect(startApiProcess({ dataDir })).rejects.toThrow(
        new RegExp(`Another floorplan server \\(pid ${api.process.pid}`),
      );

      expect(await api.kill('SIGTERM')).toBe(0);
      expect(await readOwner(dataDir)).toBeNull();
      const restarted = await startApiProcess({ dataDir });
      running.push(restarted);
      expect(await resultCount(restarted, carol)).toBe(seeded + 2);
    });

    it('a kill -9 of the owner during an import leaves a folder that opens, with all of the import or none', async () => {
      const api = await startApiProcess({ dataDir });
      running.push(api);
      const admin = tokenIn(
        await finished(
          runCli(['token', 'create', '--role', 'admin', '--name', 'k'], embeddedEnvironment(dataDir)),
        ),
      );
      const before = await resultCount(api, admin);

      const importing = runCli(
        [...IMPORT.slice(0, 1), 'test/fixtures/imports/guidellm-v0.3.json', ...IMPORT.slice(2)],
        embeddedEnvironment(dataDir),
      );
      running.push(importing);
      // The import prints its parse report before it stores: kill the owner then.
      await waitFor('the import to start storing', () => importing.output().includes('result(s)'), {
        timeoutMs: 60_000,
        describe: importing.output,
      });
      await api.kill('SIGKILL');
      await importing.exited;

      // The folder's lock names a dead process: the next server takes it over and opens the data.
      const owner = await readOwner(dataDir);
      expect(owner === null || (owner !== 'unreadable' && owner.pid === api.process.pid)).toBe(true);
      const reopened = await startApiProcess({ dataDir });
      running.push(reopened);
      const after = await resultCount(reopened, admin);
      const imported = after - before;
      // Whatever the import stored, it stored whole: importing again adds exactly what is missing.
      const again = await finished(
        runCli(
          [...IMPORT.slice(0, 1), 'test/fixtures/imports/guidellm-v0.3.json', ...IMPORT.slice(2)],
          embeddedEnvironment(dataDir),
        ),
      );
      const stored = Number(again.match(/Stored (\d+) new/)?.[1]);
      const already = Number(again.match(/(\d+) already imported/)?.[1]);
      expect(already).toBe(imported);
      expect([0, stored + already]).toContain(imported);
      expect(await resultCount(reopened, admin)).toBe(before + stored + already);
    });
  },
);
