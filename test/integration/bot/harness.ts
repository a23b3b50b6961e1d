import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { type BotApp, createBotApp, SLACK_EVENTS_PATH } from '../../../bot/app';
import type { BotConfig } from '../../../bot/config';
import { createFloorplanApi } from '../../../bot/floorplan-api';
import type { LiveRunOptions } from '../../../bot/live-runs/live-run';
import { computeSlackSignature } from '../../../bot/security/request-signature';
import { createGraphqlClient } from '../../../clients/graphql/client';
import { runRunnerAgent } from '../../../runner/agent';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';
import { FakeSlackServer } from '../../fakes/slack-server';
import { startTestApi, type TestApi } from '../../support/api-server';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const OPERATOR = 'U0OPERATOR';
export const ADMIN = 'U0ADMIN';
export const VIEWER = 'U0VIEWER';
export const CHANNEL = 'C0BENCH';
export const TEAM = 'T0FAKE';

export interface SlackDelivery {
  status: number;
  body: string;
  elapsedMs: number;
}

/** Collects log lines instead of printing them, so a test can assert a warning was logged. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  let level = LogLevel.INFO;
  const write =
    (prefix: string) =>
    (...parts: unknown[]) => {
      lines.push(`${prefix} ${parts.map(String).join(' ')}`);
    };
  return {
    lines,
    debug: () => undefined,
    info: write('INFO'),
    warn: write('WARN'),
    error: write('ERROR'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The bot running for real: its signed HTTP receiver on a free port, its WebClient pointed at a fake
 * Slack, its GraphQL client pointed at the real floorplan API (in this process, on a fresh seeded
 * database, over loopback HTTP). Tests speak to it as Slack would; runs are measured by the real
 * runner agent against a fake vLLM endpoint.
 */
export class BotHarness {
  readonly slack = new FakeSlackServer();
  readonly logger = createMemoryLogger();
  api!: TestApi;
  bot!: BotApp;
  botUrl = '';
  private triggerCounter = 0;
  private runnerStop: AbortController | undefined;
  private runnerDone: Promise<void> | undefined;
  private openAi: FakeOpenAiServer | undefined;
  readonly runnerLog: string[] = [];
  /** Subscription streams the bot opened to the API (SSE requests), counted at its fetch. */
  botStreamsOpened = 0;

  async start(
    options: { liveRunOptions?: Partial<LiveRunOptions>; apiTimeoutMs?: number; leaseSeconds?: number } = {},
  ): Promise<void> {
    await this.slack.start();
    this.api = await startTestApi({ leaseSeconds: options.leaseSeconds ?? 5 });
    const config: BotConfig = {
      signingSecret: TEST_SIGNING_SECRET,
      botToken: 'xoxb-test-token',
      appToken: undefined,
      slackApiUrl: this.slack.apiUrl,
      floorplanApiUrl: this.api.graphqlUrl,
      floorplanBotToken: this.api.tokens.operator,
      operatorUserIds: [OPERATOR],
      adminUserIds: [ADMIN],
      port: 0,
      host: '127.0.0.1',
    };
    this.bot = createBotApp(config, {
      api: createFloorplanApi(
        createGraphqlClient({
          url: this.api.graphqlUrl,
          token: this.api.tokens.operator,
          clientName: 'floorplan-slack-bot',
          timeoutMs: options.apiTimeoutMs ?? 10_000,
          // Counts the bot's subscription streams (SSE requests) to the API.
          fetch: (input, init) => {
            const accept = new Headers(init?.headers).get('accept') ?? '';
            if (accept.includes('text/event-stream')) this.botStreamsOpened += 1;
            return fetch(input, init);
          },
        }),
      ),
      logger: this.logger,
      liveRunOptions: {
        minUpdateIntervalMs: 1000,
        resubscribeDelayMs: 100,
        pollIntervalMs: 500,
        ...options.liveRunOptions,
      },
    });
    const running = await this.bot.start();
    this.botUrl = running.url ?? '';
  }

  async stop(): Promise<void> {
    await this.stopRunner();
    await this.bot?.stop();
    await this.api?.close();
    await this.slack.stop(); // fails when any message broke a Block Kit limit
  }

  /**
   * The real runner agent for the lab box (dgx-spark), in this process, measuring a fake vLLM that
   * answers in about `ttftMs + tokens x tokenGapMs`.
   */
  async startRunner(
    options: { ttftMs?: number; tokenGapMs?: number; server?: FakeOpenAiServer } = {},
  ): Promise<FakeOpenAiServer> {
    this.openAi =
      options.server ??
      (await startFakeOpenAiServer({
        ttftMs: options.ttftMs ?? 20,
        tokenGapMs: options.tokenGapMs ?? 2,
        defaultMaxTokens: 16,
      }));
    this.runnerStop = new AbortController();
    this.runnerDone = runRunnerAgent({
      apiUrl: this.api.url,
      token: this.api.tokens.runner,
      box: 'dgx-spark',
      endpointUrl: this.openAi.url,
      model: 'fake-model',
      runnerName: 'bot-test-runner',
      pollIntervalMs: 100,
      retry: { initialDelayMs: 100, maxDelayMs: 1000 },
      stopSignal: this.runnerStop.signal,
      log: (line) => this.runnerLog.push(line),
    }).catch((error: unknown) => {
      this.runnerLog.push(`runner stopped: ${String(error)}`);
    });
    return this.openAi;
  }

  async stopRunner(): Promise<void> {
    this.runnerStop?.abort();
    await this.runnerDone;
    await this.openAi?.close();
    this.runnerStop = undefined;
    this.runnerDone = undefined;
    this.openAi = undefined;
  }

  /** Runs as the database holds them, newest first. */
  runs() {
    return this.api.database.prisma.benchmarkRun.findMany({
      orderBy: { createdAt: 'desc' },
      include: { results: true, variant: true },
    });
  }

  /** The API as an admin would call it (outside the bot), e.g. to cancel a run between tests. */
  adminApi() {
    return createFloorplanApi(
      createGraphqlClient({
        url: this.api.graphqlUrl,
        token: this.api.tokens.admin,
        clientName: 'test-admin',
      }),
    );
  }

  /** Cancels every unfinished run through the API, so one test's queue does not feed the next. */
  async cancelOpenRuns(): Promise<void> {
    const open = await this.api.database.prisma.benchmarkRun.findMany({
      where: { status: { in: ['QUEUED', 'LEASED'] } },
    });
    const admin = this.adminApi();
    for (const run of open) await admin.cancelBenchmarkRun(run.id).catch(() => undefined);
  }

  nextTriggerId(): string {
    this.triggerCounter += 1;
    return `${this.triggerCounter}.${Date.now()}.trigger`;
  }

  /** Posts a body to the receiver signed like Slack (or not, with `signature: null`). */
  async deliver(
    rawBody: string,
    contentType: string,
    options: { timestamp?: number; signature?: string | null; headers?: Record<string, string> } = {},
  ): Promise<SlackDelivery> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      ...options.headers,
    };
    if (options.signature !== null) {
      headers['x-slack-signature'] =
        options.signature ?? computeSlackSignature(TEST_SIGNING_SECRET, timestamp, rawBody);
    }
    const started = performance.now();
    const response = await fetch(`${this.botUrl}${SLACK_EVENTS_PATH}`, {
      method: 'POST',
      headers,
      body: rawBody,
    });
    const body = await response.text();
    // An ack that answers in place is a message too: hold it to the same Block Kit limits.
    if (body.startsWith('{')) {
      try {
        const ack = JSON.parse(body) as { blocks?: unknown; errors?: unknown };
        this.slack.checkMessage('ack', ack.blocks);
      } catch {
        // not JSON: nothing to check
      }
    }
    return { status: response.status, body, elapsedMs: performance.now() - started };
  }

  slashCommandBody(
    text: string,
    options: { user?: string; triggerId?: string; channel?: string } = {},
  ): {
    body: string;
    responseUrl: string;
    triggerId: string;
  } {
    const responseUrl = this.slack.newResponseUrl();
    const triggerId = options.triggerId ?? this.nextTriggerId();
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'fake',
      channel_id: options.channel ?? CHANNEL,
      channel_name: 'bench',
      user_id: options.user ?? VIEWER,
      user_name: 'someone',
      command: '/floorplan',
      text,
      api_app_id: 'A0FLOORPLAN',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    return { body, responseUrl, triggerId };
  }

  async slashCommand(text: string, options: { user?: string; triggerId?: string; channel?: string } = {}) {
    const { body, responseUrl, triggerId } = this.slashCommandBody(text, options);
    const delivery = await this.deliver(body, 'application/x-www-form-urlencoded');
    return { ...delivery, responseUrl, responseId: responseUrl.split('/').pop() ?? '', triggerId };
  }

  async buttonClick(options: {
    actionId: string;
    value: string;
    user?: string;
    messageTs?: string;
    channel?: string;
    viewType?: 'home';
  }) {
    const responseUrl = this.slack.newResponseUrl();
    const messageTs = options.messageTs ?? '1700000000.000100';
    const payload = {
      type: 'block_actions',
      user: { id: options.user ?? VIEWER, username: 'someone', team_id: TEAM },
      api_app_id: 'A0FLOORPLAN',
      token: 'legacy-verification-token',
      trigger_id: this.nextTriggerId(),
      team: { id: TEAM, domain: 'fake' },
      ...(options.viewType === 'home'
        ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home' } }
        : {
            container: {
              type: 'message',
              message_ts: messageTs,
              channel_id: options.channel ?? CHANNEL,
              is_ephemeral: false,
            },
            channel: { id: options.channel ?? CHANNEL, name: 'bench' },
            message: { type: 'message', ts: messageTs, text: 'earlier answer' },
            response_url: responseUrl,
          }),
      actions: [
        {
          type: 'button',
          action_id: options.actionId,
          block_id: 'actions',
          text: { type: 'plain_text', text: 'button' },
          value: options.value,
          action_ts: String(Date.now() / 1000),
        },
      ],
    };
    const delivery = await this.deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
    return { ...delivery, responseId: responseUrl.split('/').pop() ?? '' };
  }

  async viewSubmission(
    callbackId: string,
    values: Record<string, Record<string, unknown>>,
    privateMetadata: string,
    user = VIEWER,
  ) {
    const payload = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'fake' },
      user: { id: user, username: 'someone', team_id: TEAM },
      api_app_id: 'A0FLOORPLAN',
      token: 'legacy-verification-token',
      trigger_id: this.nextTriggerId(),
      view: {
        id: 'V0MODAL',
        type: 'modal',
        callback_id: callbackId,
        private_metadata: privateMetadata,
        state: { values },
        hash: 'h',
        title: { type: 'plain_text', text: 'Describe the workload' },
        blocks: [],
      },
    };
    return this.deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  async event(
    event: Record<string, unknown>,
    options: { eventId?: string; retryNum?: number; timestamp?: number } = {},
  ) {
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: TEAM,
      api_app_id: 'A0FLOORPLAN',
      event,
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM, user_id: 'U0BOT', is_bot: true }],
    });
    const headers: Record<string, string> =
      options.retryNum === undefined
        ? {}
        : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' };
    return this.deliver(body, 'application/json', {
      headers,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });
  }

  responseUrlPostsFor(responseId: string) {
    return this.slack.responseUrlPosts.filter((post) => post.id === responseId);
  }

  async waitForResponse(responseId: string, timeoutMs = 5000) {
    return this.slack.waitFor(
      () => this.responseUrlPostsFor(responseId)[0],
      timeoutMs,
      `a response_url post to ${responseId}`,
    );
  }
}

/** Every text a Slack message shows (fallback text plus all block texts), for `toContain` assertions. */
export function messageText(message: Record<string, unknown>): string {
  return JSON.stringify(message);
}
