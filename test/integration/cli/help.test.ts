import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../support/database';

/**
 * Every command and subcommand answers `--help` with its usage and exit 0, and does nothing else:
 * the data folder stays untouched (no migration, no lock, no write). A wrong option names itself
 * and shows the same usage, exit 2.
 */

const run = promisify(execFile);

const COMMANDS: ReadonlyArray<readonly [string[], RegExp]> = [
  [['migrate'], /usage: floorplan migrate/],
  [['seed'], /usage: floorplan seed/],
  [['migration:create'], /usage: floorplan migration:create NAME/],
  [['schema:print'], /usage: floorplan schema:print/],
  [['token'], /floorplan token create --role/],
  [['token', 'create'], /floorplan token create --role/],
  [['token', 'list'], /floorplan token list/],
  [['token', 'revoke'], /floorplan token revoke --name NAME/],
  [['decide'], /floorplan decide --workload/],
  [['decisions'], /floorplan decisions watch ID \[--channel C\]/],
  [['chart'], /floorplan chart cost --workload/],
  [['chart', 'cost'], /floorplan chart cost --workload/],
  [['chart', 'history'], /floorplan chart history --box/],
  [['import'], /usage: floorplan import FILE\.\.\./],
  [['eval'], /usage: floorplan eval --questions/],
  [['bench'], /usage: floorplan bench --endpoint URL/],
  [['runner'], /usage: floorplan runner --api URL/],
];

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())('npx floorplan <command> --help', { timeout: 300_000 }, () => {
  let dataDir: string;
  let environment: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'floorplan-help-'));
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    environment = { ...inherited, FLOORPLAN_DATA_DIR: path.join(dataDir, 'pglite') };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints each usage, exits 0 and touches nothing', async () => {
    const answers = await Promise.all(
      COMMANDS.map(async ([args, usage], index) => {
        // -h once, --help everywhere else: the same check, and a busy machine spawns fewer processes.
        const flag = index === 0 ? '-h' : '--help';
        const { stdout } = await run('node', ['bin/floorplan.js', ...args, flag], { env: environment });
        return { args: [...args, flag].join(' '), matches: usage.test(stdout), stdout };
      }),
    );
    for (const answer of answers) expect(answer, answer.args).toMatchObject({ matches: true });
    // `migrate --help` above must not have migrated: the data folder was never even created.
    await expect(readdir(dataDir)).resolves.toEqual([]);
    const { stdout } = await run('node', ['bin/floorplan.js', 'help', 'decide'], { env: environment });
    expect(stdout).toMatch(/floorplan decide --workload/);
  });

  it('names an unknown option and shows the usage, exit 2, before opening anything', async () => {
    for (const [args, usage, option] of [
      [['decide'], /floorplan decide --workload/, '--bogus'],
      [['token', 'create'], /floorplan token create --role/, '--colour'],
      [['import', 'x.json'], /usage: floorplan import FILE/, '--nope'],
      [['chart', 'cost'], /floorplan chart cost/, '--x'],
      [['migrate'], /usage: floorplan migrate/, '--force'],
    ] as const) {
      const failure = await run('node', ['bin/floorplan.js', ...args, option], { env: environment }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code, args.join(' ')).toBe(2);
      expect(failure?.stderr).toContain(`unknown option ${option}`);
      expect(failure?.stderr).toMatch(usage);
    }
    await expect(readdir(dataDir)).resolves.toEqual([]);
  });
});
