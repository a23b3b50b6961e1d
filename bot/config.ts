import { z } from 'zod';

/**
 * The bot's environment, validated once at boot so a missing secret or a malformed user list stops
 * the process with a message naming the variable, instead of a 401 from Slack an hour later.
 */
const slackUserIdList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  )
  .pipe(
    z.array(
      z
        .string()
        // Roles map to Slack user ids, never display names: names can be changed by their owner.
        .regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids like U0123ABCD (not names), comma-separated'),
    ),
  );

const botEnvironmentSchema = z.object({
  SLACK_SIGNING_SECRET: z
    .string({ message: 'SLACK_SIGNING_SECRET is required (Basic Information → App Credentials)' })
    .min(8, 'SLACK_SIGNING_SECRET looks too short'),
  SLACK_BOT_TOKEN: z
    .string({ message: 'SLACK_BOT_TOKEN is required (OAuth & Permissions → Bot User OAuth Token, xoxb-…)' })
    .regex(/^xoxb-/, 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(
      /^xapp-/,
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (it turns on Socket Mode)',
    )
    .optional(),
  SLACK_API_URL: z
    .url({ message: 'SLACK_API_URL must be a URL such as http://127.0.0.1:9999/api/' })
    .optional(),
  FLOORPLAN_API_URL: z
    .url({ message: 'FLOORPLAN_API_URL must be the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql' })
    .default('http://127.0.0.1:4000/graphql'),
  FLOORPLAN_BOT_TOKEN: z
    .string({ message: 'FLOORPLAN_BOT_TOKEN is required: the API service token issued for the bot' })
    .min(1, 'FLOORPLAN_BOT_TOKEN is required: the API service token issued for the bot'),
  FLOORPLAN_OPERATORS: slackUserIdList,
  FLOORPLAN_ADMINS: slackUserIdList,
  BOT_PORT: z.coerce
    .number({ message: 'BOT_PORT must be a port number, e.g. BOT_PORT=3000' })
    .int()
    .min(0)
    .max(65535, 'BOT_PORT must be between 0 and 65535')
    .default(3000),
  BOT_HOST: z.string().min(1).default('0.0.0.0'),
});

export interface BotConfig {
  signingSecret: string;
  botToken: string;
  /** Set: Socket Mode (no public endpoint). Unset: the HTTP receiver, Slack's default. */
  appToken: string | undefined;
  slackApiUrl: string | undefined;
  floorplanApiUrl: string;
  floorplanBotToken: string;
  operatorUserIds: readonly string[];
  adminUserIds: readonly string[];
  port: number;
  host: string;
}

export class BotConfigError extends Error {
  override name = 'BotConfigError';
}

export function loadBotConfig(environment: NodeJS.ProcessEnv = process.env): BotConfig {
  const parsed = botEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new BotConfigError(
      `The Slack bot cannot start; fix these environment variables:\n${lines.join('\n')}`,
    );
  }
  const env = parsed.data;
  return {
    signingSecret: env.SLACK_SIGNING_SECRET,
    botToken: env.SLACK_BOT_TOKEN,
    appToken: env.SLACK_APP_TOKEN,
    slackApiUrl: env.SLACK_API_URL,
    floorplanApiUrl: env.FLOORPLAN_API_URL,
    floorplanBotToken: env.FLOORPLAN_BOT_TOKEN,
    operatorUserIds: env.FLOORPLAN_OPERATORS,
    adminUserIds: env.FLOORPLAN_ADMINS,
    port: env.BOT_PORT,
    host: env.BOT_HOST,
  };
}

/** True when the environment carries Slack credentials, so `npm start` can decide to start the bot. */
export function hasSlackCredentials(environment: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(environment.SLACK_SIGNING_SECRET && environment.SLACK_BOT_TOKEN);
}
