import { WebClient } from '@slack/web-api';
import type { WatchNotifier } from './watch';

/**
 * Posts watched-decision changes with the bot's token (chat.postMessage). `apiUrl` points at another
 * Slack API base (the fake server in tests); unset means slack.com.
 */
export function slackWatchNotifier(token: string, apiUrl?: string): WatchNotifier {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2 },
  });
  return {
    async post(channel, text) {
      await client.chat.postMessage({ channel, text, unfurl_links: false });
    },
  };
}
