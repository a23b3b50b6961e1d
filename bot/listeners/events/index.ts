import type { App } from '@slack/bolt';
import { SLASH_COMMAND } from '../../constants';
import type { BotDependencies } from '../../dependencies';
import { publishAppHome } from '../../flows/app-home';

export function register(app: App, dependencies: BotDependencies): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    try {
      await publishAppHome(dependencies, client, event.user);
    } catch (error) {
      logger.error(
        `views.publish failed for ${event.user}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });

  app.event('app_mention', async ({ event, client, logger }) => {
    try {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: `I answer through \`${SLASH_COMMAND}\`: try \`${SLASH_COMMAND} help\`.`,
      });
    } catch (error) {
      logger.warn(`Could not answer a mention: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
