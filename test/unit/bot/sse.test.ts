import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SSE_LINE_LENGTH,
  type ServerSentEvent,
  ServerSentEventParser,
} from '../../../clients/graphql/sse';

function parseInChunks(text: string, cuts: number[]): ServerSentEvent[] {
  const parser = new ServerSentEventParser();
  const events: ServerSentEvent[] = [];
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    events.push(...parser.push(text.slice(start, cut)));
    start = cut;
  }
  events.push(...parser.push(text.slice(start)));
  return events;
}

describe('ServerSentEventParser', () => {
  it('reads GraphQL-over-SSE next and complete events, comments and multi-line data', () => {
    const stream =
      ': connected\n\nevent: next\ndata: {"a":1}\n\nevent: next\r\ndata: line1\r\ndata: line2\r\n\r\nevent: complete\ndata:\n\n';
    expect(parseInChunks(stream, [])).toEqual([
      { event: 'next', data: '{"a":1}', id: null },
      { event: 'next', data: 'line1\nline2', id: null },
      { event: 'complete', data: '', id: null },
    ]);
  });

  it('treats a bare complete (no data line) as the end, and a data-only event as a message', () => {
    expect(parseInChunks('event: complete\n\ndata: x\n\n', [])).toEqual([
      { event: 'complete', data: '', id: null },
      { event: 'message', data: 'x', id: null },
    ]);
  });

  it('gives the same events however the network splits the stream (\\r\\n across chunks included)', () => {
    const event = fc.record({
      type: fc.constantFrom('next', 'complete', 'message'),
      data: fc.array(
        fc.string({ maxLength: 20 }).filter((line) => !/[\r\n]/.test(line)),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(400), { maxLength: 10 }),
        (events, newline, cuts) => {
          const text = events
            .map(
              (e) =>
                `event: ${e.type}${newline}${e.data.map((line) => `data: ${line}`).join(newline)}${newline}${newline}`,
            )
            .join('');
          expect(parseInChunks(text, cuts)).toEqual(parseInChunks(text, []));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary input and drops overlong lines instead of buffering them', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 }), { maxLength: 20 }), (chunks) => {
        const parser = new ServerSentEventParser();
        for (const chunk of chunks) parser.push(chunk);
      }),
      { numRuns: 1000 },
    );
    const parser = new ServerSentEventParser();
    expect(parser.push(`data: ${'x'.repeat(MAX_SSE_LINE_LENGTH + 10)}\n\ndata: ok\n\n`)).toEqual([
      { event: 'message', data: 'ok', id: null },
    ]);
  });
});
