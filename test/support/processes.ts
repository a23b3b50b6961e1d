import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * Real processes for end-to-end tests: the API (`tsx src/api/main.ts`) and runner agents
 * (`bin/floorplan.js runner`), on loopback only. Output is kept so that a failing test can show it.
 */

const REPOSITORY = path.resolve(import.meta.dirname, '..', '..');

/** A port that was free a moment ago: the API does not print the port it got for PORT=0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildHandle {
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** `undefined` in `env` removes the variable from the child's environment. */
export function spawnChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): ChildHandle {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(command, args, {
    cwd: REPOSITORY,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    process: child,
    output: () => output,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${options.describe ? `\n${options.describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

export interface ApiProcess extends ChildHandle {
  url: string;
  port: number;
}

/** The environment for a child on the embedded database in `dataDir` (never a server's DATABASE_URL). */
export function embeddedEnvironment(dataDir: string): Record<string, string | undefined> {
  return { DATABASE_URL: undefined, FLOORPLAN_DATA_DIR: dataDir };
}

/** The API on a Postgres database (`databaseUrl`) or on an embedded PGlite folder (`dataDir`). */
export async function startApiProcess(options: {
  databaseUrl?: string;
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** A fresh PGlite folder is migrated and seeded first: slower than a prepared Postgres database. */
  readyTimeoutMs?: number;
}): Promise<ApiProcess> {
  const port = options.port ?? (await freePort());
  const database = options.dataDir
    ? embeddedEnvironment(options.dataDir)
    : { DATABASE_URL: options.databaseUrl ?? '' };
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/api/main.ts'], {
    ...database,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    ...options.env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      // A fresh embedded folder is created, migrated and seeded first: slow on a busy machine.
      waitFor('the API to listen', () => child.output().includes('floorplan API ready'), {
        timeoutMs: options.readyTimeoutMs ?? (options.dataDir ? 240_000 : 30_000),
        describe: child.output,
      }),
      child.exited.then((code) => {
        throw new Error(`The API exited (${code}) before it was ready:\n${child.output()}`);
      }),
    ]);
  } catch (error) {
    // Never leave a half-started server behind to hold a port or a data folder.
    await child.kill('SIGKILL');
    throw error;
  }
  return { ...child, url, port };
}

/** `npx floorplan …` as a child process; resolves when it exits. */
export function runCli(args: string[], env: Record<string, string | undefined>): ChildHandle {
  return spawnChild(process.execPath, ['bin/floorplan.js', ...args], env);
}

export function startRunnerProcess(options: {
  apiUrl: string;
  token: string;
  box?: string;
  endpointUrl: string;
  name: string;
  extraArgs?: string[];
}): ChildHandle {
  return spawnChild(
    process.execPath,
    [
      'bin/floorplan.js',
      'runner',
      '--api',
      options.apiUrl,
      '--box',
      options.box ?? 'dgx-spark',
      '--endpoint',
      options.endpointUrl,
      '--name',
      options.name,
      '--poll-interval-ms',
      '100',
      '--max-backoff-ms',
      '500',
      ...(options.extraArgs ?? []),
    ],
    { FLOORPLAN_RUNNER_TOKEN: options.token },
  );
}
