import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ServerSentEvent, SseParseError, SseParser } from '../../../clients/sse';
import { FC_SEED } from '../../support/fast-check-seed';

const encoder = new TextEncoder();

function parseAll(parts: readonly Uint8Array[]): ServerSentEvent[] {
  const parser = new SseParser();
  const events = parts.flatMap((part) => parser.feed(part));
  return [...events, ...parser.end()];
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const position of positions) {
    parts.push(bytes.subarray(start, position));
    start = position;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

// Field values: anything but line breaks, including multi-byte UTF-8 that a split can cut in half.
const fieldValue = fc.string({
  unit: fc.constantFrom('a', 'z', ' ', ':', '{', '"', 'é', '€', '😀', '[', 'D'),
  maxLength: 12,
});
const lineEnding = fc.constantFrom('\n', '\r\n', '\r');
const eventArbitrary = fc.record({
  event: fc.option(fc.constantFrom('message', 'update'), { nil: null }),
  dataLines: fc.array(fieldValue, { minLength: 1, maxLength: 3 }),
  comment: fc.option(fieldValue, { nil: null }),
  endings: fc.array(lineEnding, { minLength: 6, maxLength: 6 }),
});

describe('SSE parser', () => {
  it('yields the same events however the byte stream is split across reads', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, cuts) => {
          let text = '';
          const expected: ServerSentEvent[] = [];
          for (const event of events) {
            let line = 0;
            const appendLine = (content: string): void => {
              let ending = event.endings[line++ % event.endings.length] as string;
              // A CR then an LF is one CRLF line break, so after a bare CR an LF ending is written as CRLF.
              if (ending === '\n' && content === '' && text.endsWith('\r')) ending = '\r\n';
              text += content + ending;
            };
            if (event.comment !== null) appendLine(`:${event.comment}`);
            if (event.event !== null) appendLine(`event: ${event.event}`);
            for (const data of event.dataLines) appendLine(`data: ${data}`);
            appendLine('');
            expected.push({ event: event.event, data: event.dataLines.join('\n'), id: null });
          }
          const bytes = encoder.encode(text);
          expect(parseAll([bytes])).toEqual(expected);
          expect(parseAll(splitAt(bytes, cuts))).toEqual(expected);
          // One byte at a time is the harshest split.
          expect(parseAll(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('parses a vLLM-shaped stream, including the [DONE] sentinel', () => {
    const stream = encoder.encode(
      'data: {"choices":[{"text":" a"}]}\r\n\r\n: keep-alive\n\ndata: {"choices":[],"usage":{"completion_tokens":1}}\n\ndata: [DONE]\n\n',
    );
    expect(parseAll([stream]).map((event) => event.data)).toEqual([
      '{"choices":[{"text":" a"}]}',
      '{"choices":[],"usage":{"completion_tokens":1}}',
      '[DONE]',
    ]);
  });

  it('reads GraphQL over SSE: next events, keep-alive comments and the complete event, bare or with data', () => {
    const stream = encoder.encode(
      ':\n\nevent: next\ndata: {"data":{"a":1}}\n\nevent: next\r\ndata: line1\r\ndata: line2\r\n\r\nevent: complete\ndata:\n\nevent: complete\n\n',
    );
    expect(parseAll([stream])).toEqual([
      { event: 'next', data: '{"data":{"a":1}}', id: null },
      { event: 'next', data: 'line1\nline2', id: null },
      { event: 'complete', data: '', id: null },
      { event: 'complete', data: '', id: null },
    ]);
  });

  it('gives a clear SseParseError for malformed input', () => {
    expect(() => parseAll([encoder.encode('<html>Bad Gateway</html>\n\n')])).toThrow(
      /malformed event stream line "<html>Bad Gateway<\/html>": expected "data:"/,
    );
    expect(() => parseAll([Uint8Array.of(0x64, 0x61, 0xff, 0x0a)])).toThrow(/not valid UTF-8/);
    expect(() => parseAll([encoder.encode('data: {"choices"')])).toThrow(/ends in the middle of a line/);
    expect(() => parseAll([encoder.encode('data: {}\n')])).toThrow(/ends in the middle of an event/);
    const tiny = new SseParser({ maxLineChars: 8 });
    expect(() => tiny.feed(encoder.encode('data: 0123456789'))).toThrow(/longer than 8 characters/);
  });

  it('never crashes on arbitrary bytes: events or an SseParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (parts) => {
        try {
          const events = parseAll(parts);
          for (const event of events) expect(typeof event.data).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(SseParseError);
          expect((error as Error).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});
