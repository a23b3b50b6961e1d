import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { GRAPHIQL_FIRST_QUERY } from '../../../src/api/yoga';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * GraphiQL works without the internet: the page a browser gets from /graphql loads nothing from
 * another host (its scripts and styles are inline), and opens on the README's first query.
 */

/** The page without its inline <script> and <style> bodies: what is left says what the browser fetches. */
function outerMarkup(html: string): string {
  return html
    .replace(/<script\b([^>]*)>[\s\S]*?<\/script>/gi, '<script$1>')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '<style>');
}

describe('GraphiQL offline', () => {
  let database: TestDatabase;
  let api: ApiServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: false,
      publicCatalog: true,
    });
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('serves a page that references no external host and opens on the first query', async () => {
    const response = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    const markup = outerMarkup(html);

    // Every resource the markup loads (src=, href=, CSS url(), @import) is inline or on this server.
    const loaded = [
      ...markup.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi),
      ...markup.matchAll(/url\(\s*["']?([^"')]+)/gi),
      ...markup.matchAll(/@import\s+["']([^"']+)/gi),
    ].map((match) => match[1] ?? '');
    const external = loaded.filter((reference) => /^(https?:)?\/\//i.test(reference));
    expect(external).toEqual([]);
    // Inline code that would fetch its modules or fonts from a CDN at run time.
    for (const cdn of [
      'unpkg.com',
      'cdn.jsdelivr.net',
      'cdnjs.cloudflare.com',
      'esm.sh',
      'fonts.googleapis.com',
    ]) {
      expect(html, cdn).not.toContain(cdn);
    }
    // GraphiQL itself is in the page, not fetched.
    expect(html.length - markup.length).toBeGreaterThan(1_000_000);
    expect(html).not.toContain('__TITLE__');
    // The default query: the README's first query, as JSON inside the page.
    expect(html).toContain(JSON.stringify(GRAPHIQL_FIRST_QUERY).slice(1, 60));
  });
});
