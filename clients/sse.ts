/**
 * The one parser for `text/event-stream` bodies (the WHATWG server-sent events format), used by
 * both clients: the OpenAI-compatible streaming client (benchmarks) and GraphQL over SSE (run
 * progress subscriptions). Bytes in, complete events out, whatever way the bytes were split across
 * socket reads. Lines end in CRLF, LF or a lone CR; `:` lines are comments; several `data:` lines
 * join with "\n"; a blank line dispatches the event.
 *
 * It is stricter than a browser on purpose, for both callers: a benchmark must not quietly ignore a
 * body that is not an event stream, and a subscription that reads garbage ends with the reason (the
 * bot then reads the run and subscribes again) rather than silently missing updates. So for a body that is
 * not an event stream (an HTML error page, a JSON error with status 200), an unknown field, invalid
 * UTF-8, an over-long line or a stream that stops mid-event is an `SseParseError` with a readable
 * reason rather than silently dropped data.
 */

export interface ServerSentEvent {
  /** The `event:` field; null when absent (the default "message" type). */
  event: string | null;
  data: string;
  /** The `id:` field of this event; null when absent. */
  id: string | null;
}

export class SseParseError extends Error {
  override readonly name = 'SseParseError';
}

/** Longest line we buffer before deciding the body is not an event stream (one chunk is ~hundreds of bytes). */
const DEFAULT_MAX_LINE_CHARS = 4 * 1024 * 1024;
const EXCERPT_CHARS = 80;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly maxLineChars: number;
  /** Text of the current line seen so far (its end not yet received). */
  private partialLine = '';
  /** A CR ended the previous read, so an LF starting the next read belongs to the same line break. */
  private skipLeadingLineFeed = false;
  private dataLines: string[] = [];
  private eventType: string | null = null;
  private eventId: string | null = null;
  private failure: SseParseError | null = null;

  constructor(options: { maxLineChars?: number } = {}) {
    this.maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  }

  /** Feeds the next bytes; returns the events they complete. Throws `SseParseError` on malformed input. */
  feed(bytes: Uint8Array): ServerSentEvent[] {
    this.throwIfFailed();
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: true });
    } catch {
      throw this.fail('event stream is not valid UTF-8');
    }
    const events: ServerSentEvent[] = [];
    this.consumeText(text, events);
    return events;
  }

  /** Signals the end of the body; throws when it stopped in the middle of an event. */
  end(): ServerSentEvent[] {
    this.throwIfFailed();
    try {
      this.decoder.decode();
    } catch {
      throw this.fail('event stream ends with an incomplete UTF-8 sequence');
    }
    if (this.partialLine.length > 0) {
      throw this.fail(`event stream ends in the middle of a line: ${excerpt(this.partialLine)}`);
    }
    if (this.dataLines.length > 0) {
      throw this.fail('event stream ends in the middle of an event (no blank line after its data)');
    }
    return [];
  }

  private consumeText(text: string, events: ServerSentEvent[]): void {
    let lineStart = 0;
    if (this.skipLeadingLineFeed && text.length > 0) {
      if (text.charCodeAt(0) === LINE_FEED) lineStart = 1;
      this.skipLeadingLineFeed = false;
    }
    for (let index = lineStart; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== LINE_FEED && code !== CARRIAGE_RETURN) continue;
      const line = this.partialLine + text.slice(lineStart, index);
      this.partialLine = '';
      this.processLine(line, events);
      if (code === CARRIAGE_RETURN) {
        if (index + 1 < text.length) {
          if (text.charCodeAt(index + 1) === LINE_FEED) index++;
        } else {
          this.skipLeadingLineFeed = true;
        }
      }
      lineStart = index + 1;
    }
    if (lineStart < text.length) this.partialLine += text.slice(lineStart);
    if (this.partialLine.length > this.maxLineChars) {
      throw this.fail(
        `event stream line longer than ${this.maxLineChars} characters: ${excerpt(this.partialLine)}`,
      );
    }
  }

  private processLine(line: string, events: ServerSentEvent[]): void {
    if (line.length === 0) {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        return;
      case 'event':
        this.eventType = value;
        return;
      case 'id':
        if (!value.includes('\0')) this.eventId = value;
        return;
      case 'retry':
        return;
      default:
        throw this.fail(
          `malformed event stream line ${excerpt(line)}: expected "data:", "event:", "id:", "retry:" or a ":" comment`,
        );
    }
  }

  private dispatch(events: ServerSentEvent[]): void {
    // A typed event without data still counts: GraphQL over SSE may end a stream with a bare
    // `event: complete`.
    if (this.dataLines.length > 0 || this.eventType !== null) {
      events.push({ event: this.eventType, data: this.dataLines.join('\n'), id: this.eventId });
    }
    this.dataLines = [];
    this.eventType = null;
  }

  private fail(message: string): SseParseError {
    this.failure = new SseParseError(message);
    return this.failure;
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text);
}
