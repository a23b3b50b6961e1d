import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Authorize, HTTPReceiver, type Logger, SocketModeReceiver } from '@slack/bolt';
import { createGraphqlClient } from '../clients/graphql/client';
import type { BotConfig } from './config';
import type { BotDependencies } from './dependencies';
import { createFloorplanApi, type FloorplanApi } from './floorplan-api';
import * as actionListeners from './listeners/actions/index';
import * as eventListeners from './listeners/events/index';
import * as commandListeners from './listeners/slash-commands/index';
import * as viewListeners from './listeners/views/index';
import { BackgroundTasks } from './live-runs/background-tasks';
import { DEFAULT_LIVE_RUN_OPTIONS, type LiveRunOptions } from './live-runs/live-run';
import { RunFeed } from './live-runs/run-feed';
import { slackErrorCode } from './live-runs/slack-calls';
import { createConsoleLogger } from './logger';
import { createRoleDirectory } from './roles';
import { createEventDeduplication } from './security/event-deduplication';
import { SeenKeys } from './security/seen-keys';
import { createSignedSlackServer } from './security/signed-http-server';

/** The path Slack posts events, slash commands and interactions to (all three share it). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface BotAppDependencies {
  /** Defaults to the GraphQL client built from the config. */
  api?: FloorplanApi;
  logger?: Logger;
  liveRunOptions?: Partial<LiveRunOptions>;
}

export interface RunningBot {
  mode: 'http' | 'socket';
  /** Base URL of the HTTP receiver (HTTP mode only), e.g. http://127.0.0.1:54321. */
  url: string | undefined;
  port: number | undefined;
}

export interface BotApp {
  app: App;
  tasks: BackgroundTasks;
  runFeed: RunFeed;
  start(): Promise<RunningBot>;
  stop(): Promise<void>;
}

/**
 * Builds the Slack app: Bolt with our own signed HTTP front door by default, Socket Mode when an app
 * token is configured. Nothing listens until `start()`; `config.port` 0 picks a free port (tests).
 */
export function createBotApp(config: BotConfig, dependencies: BotAppDependencies = {}): BotApp {
  const logger = dependencies.logger ?? createConsoleLogger();
  const api =
    dependencies.api ??
    createFloorplanApi(
      createGraphqlClient({
        url: config.floorplanApiUrl,
        token: config.floorplanBotToken,
        clientName: 'floorplan-slack-bot',
      }),
    );
  const tasks = new BackgroundTasks(logger);
  const liveRunOptions = { ...DEFAULT_LIVE_RUN_OPTIONS, ...dependencies.liveRunOptions };
  const runFeed = new RunFeed(api, logger, { resubscribeDelayMs: liveRunOptions.resubscribeDelayMs });
  const botDependencies: BotDependencies = {
    api,
    roles: createRoleDirectory(config.operatorUserIds, config.adminUserIds),
    tasks,
    runFeed,
    liveRunOptions,
    logger,
    claimedRunKeys: new SeenKeys(60 * 60 * 1000),
  };

  // Our own authorize: Bolt's default calls auth.test on the request path, before the ack, so a slow
  // Slack API would delay every acknowledgement. We call it once at start instead.
  let identity: { botId?: string; botUserId?: string } = {};
  const authorize: Authorize<boolean> = async () => ({ botToken: config.botToken, ...identity });
  const clientOptions = {
    ...(config.slackApiUrl === undefined ? {} : { slackApiUrl: config.slackApiUrl }),
    // 429s are handled by us (keep the newest state while waiting), not by pausing the whole client.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 15_000,
  };

  const socketMode = config.appToken !== undefined;
  const httpReceiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: [SLACK_EVENTS_PATH],
        // Ack first, work after: listeners keep running once the 200 has gone back to Slack.
        processBeforeResponse: false,
        logger,
      });
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.appToken ?? '', logger })
    : (httpReceiver as HTTPReceiver);
  const app = new App({ receiver, authorize, logger, clientOptions });

  app.use(createEventDeduplication());
  commandListeners.register(app, botDependencies);
  actionListeners.register(app, botDependencies);
  viewListeners.register(app, botDependencies);
  eventListeners.register(app, botDependencies);
  app.error(async (error) => {
    logger.error(`Unhandled error in a listener: ${error.message}`);
  });

  let server: Server | undefined;

  const checkCredentials = async () => {
    try {
      const result = await app.client.auth.test({ token: config.botToken });
      identity = {
        ...(result.bot_id ? { botId: result.bot_id } : {}),
        ...(result.user_id ? { botUserId: result.user_id } : {}),
      };
    } catch (error) {
      const code = slackErrorCode(error);
      if (
        code === 'invalid_auth' ||
        code === 'not_authed' ||
        code === 'account_inactive' ||
        code === 'token_revoked'
      ) {
        throw new Error(
          `Slack refused SLACK_BOT_TOKEN (${code}): reinstall the app and copy the Bot User OAuth Token.`,
        );
      }
      // Slack unreachable for now: start anyway, calls will be retried as they happen.
      logger.warn(
        `auth.test failed (${code ?? (error instanceof Error ? error.message : String(error))}); starting anyway`,
      );
    }
  };

  return {
    app,
    tasks,
    runFeed,
    async start() {
      await checkCredentials();
      if (socketMode) {
        await app.start();
        logger.info('floorplan bot connected in Socket Mode');
        return { mode: 'socket', url: undefined, port: undefined };
      }
      if (httpReceiver === undefined) throw new Error('HTTP receiver missing');
      const httpServer = createSignedSlackServer({
        signingSecret: config.signingSecret,
        endpoints: [SLACK_EVENTS_PATH],
        boltRequestListener: httpReceiver.requestListener,
        logger,
      });
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      server = httpServer;
      const { port } = httpServer.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      logger.info(`floorplan bot listening on http://${host}:${port}${SLACK_EVENTS_PATH}`);
      return { mode: 'http', url: `http://${host}:${port}`, port };
    },
    async stop() {
      await tasks.stop();
      runFeed.close();
      if (socketMode) {
        await app.stop().catch(() => undefined);
        return;
      }
      const running = server;
      server = undefined;
      if (running === undefined) return;
      await new Promise<void>((resolve) => {
        running.close(() => resolve());
        running.closeAllConnections();
      });
    },
  };
}
