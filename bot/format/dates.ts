/**
 * Times in Slack's date formatting, so each reader sees their own time zone and language:
 * `<!date^UNIX^{date_short_pretty} {time}|fallback>`. The fallback (UTC) is what clients that cannot
 * format dates, and notifications, show.
 */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return 'an unknown time';
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}
