import { parseArgs } from 'node:util';
import { LOADED_CONFIGURATIONS, startLoadedServer } from './loaded-server';

/**
 * The loaded fake as a process, the way a server configuration's launch command starts vLLM:
 * `tsx test/fakes/loaded-server-main.ts --port 8123 --config quantized --model my-model`. It
 * listens on the port it is given (the runner picks a free one), answers /v1/models once up, and
 * exits on SIGTERM.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    config: { type: 'string', default: 'baseline' },
    model: { type: 'string', default: 'fake-model' },
    'startup-delay-ms': { type: 'string', default: '0' },
  },
});

const model = LOADED_CONFIGURATIONS[values.config ?? 'baseline'];
if (!model) {
  process.stderr.write(
    `unknown --config ${values.config}; one of ${Object.keys(LOADED_CONFIGURATIONS).join(', ')}\n`,
  );
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('--port: required, a port number\n');
  process.exit(2);
}

// A real server takes a while to load weights; the runner must wait until it answers.
await new Promise((resolve) => setTimeout(resolve, Number(values['startup-delay-ms'])));
const server = await startLoadedServer(model, { models: [values.model ?? 'fake-model'], port });
process.stdout.write(`loaded fake (${values.config}) listening at ${server.url}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
