import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Named server configurations: launch commands for the box's server (vLLM with another
 * --max-num-seqs, quantization, speculative decoding), kept in the runner's own configuration so
 * that the API only ever names them and never sends a command to run. For each configuration a run
 * names, the runner starts the command on a free port, waits until the server answers, measures,
 * and stops it (the whole process group, so a shell's children go too).
 */

export interface ServerConfiguration {
  name: string;
  /** A shell command; `{port}` is replaced by the port the server must listen on. */
  command: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `NAME=COMMAND`, as `--server-config` takes it. */
export function parseServerConfiguration(text: string): ServerConfiguration {
  const separator = text.indexOf('=');
  const name = separator > 0 ? text.slice(0, separator).trim() : '';
  const command = separator > 0 ? text.slice(separator + 1).trim() : '';
  if (!NAME.test(name) || command === '') {
    throw new Error(
      `--server-config "${text}": expected NAME=COMMAND, e.g. fp8='vllm serve my-model --port {port} --max-num-seqs 64' (NAME: letters, digits, . _ -)`,
    );
  }
  if (!command.includes('{port}')) {
    throw new Error(
      `--server-config ${name}: the command must listen on {port} (the runner picks a free port), e.g. vllm serve … --port {port}`,
    );
  }
  return { name, command };
}

export interface LaunchedServer {
  endpointUrl: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

/** How much of a failed server's output to quote. */
const OUTPUT_TAIL_CHARS = 2000;
const STOP_GRACE_MS = 10_000;

export async function launchServer(
  configuration: ServerConfiguration,
  options: { startupTimeoutMs: number; signal?: AbortSignal | undefined; log: (line: string) => void },
): Promise<LaunchedServer> {
  const port = await freePort();
  const command = configuration.command.replaceAll('{port}', String(port));
  options.log(`server configuration ${configuration.name}: starting \`${command}\``);
  const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`));
    child.once('error', (error) => resolve(error.message));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const endpointUrl = `http://127.0.0.1:${port}/v1`;
  const stop = () => stopGroup(child, exited, () => hasExited);

  const deadline = Date.now() + options.startupTimeoutMs;
  for (;;) {
    if (hasExited) {
      throw new Error(
        `server configuration ${configuration.name} exited before it was healthy (${await exited}): ${output.trim() || 'no output'}`,
      );
    }
    if (options.signal?.aborted) {
      await stop();
      throw new Error(`server configuration ${configuration.name}: cancelled while starting`);
    }
    if (await answers(`${endpointUrl}/models`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `server configuration ${configuration.name} did not answer ${endpointUrl}/models within ${Math.round(options.startupTimeoutMs / 1000)} s: ${output.trim() || 'no output'}`,
      );
    }
    await delay(200);
  }
  options.log(`server configuration ${configuration.name}: healthy at ${endpointUrl}`);
  return { endpointUrl, stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function stopGroup(
  child: ChildProcess,
  exited: Promise<string>,
  hasExited: () => boolean,
): Promise<void> {
  if (hasExited() || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), delay(STOP_GRACE_MS).then(() => false)]);
  if (!stopped) {
    signalGroup('SIGKILL');
    await exited;
  }
}
