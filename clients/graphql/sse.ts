/**
 * An incremental parser for `text/event-stream` (the WHATWG event-stream format), for GraphQL over
 * SSE. Pure and total: any sequence of chunks yields events or nothing, never an exception, and the
 * result does not depend on where the network happened to split the stream.
 */
export interface ServerSentEvent {
  /** The `event:` field; `message` when absent, as the format defines. */
  event: string;
  data: string;
  id: string | null;
}

/** A line longer than this is dropped whole: a stream that never ends a line must not eat memory. */
export const MAX_SSE_LINE_LENGTH = 1024 * 1024;

export class ServerSentEventParser {
  private partialLine = '';
  private droppingOverlongLine = false;
  private lastChunkEndedWithCarriageReturn = false;
  private eventType = '';
  private dataLines: string[] = [];
  private lastEventId: string | null = null;

  push(chunk: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let text = chunk;
    // "\r\n" split across two chunks is one line break, not two.
    if (this.lastChunkEndedWithCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.lastChunkEndedWithCarriageReturn = text.endsWith('\r');
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const character = text[index];
      if (character !== '\n' && character !== '\r') continue;
      this.appendToLine(text.slice(start, index));
      this.finishLine(events);
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      start = index + 1;
    }
    this.appendToLine(text.slice(start));
    return events;
  }

  private appendToLine(fragment: string): void {
    if (this.droppingOverlongLine) return;
    if (this.partialLine.length + fragment.length > MAX_SSE_LINE_LENGTH) {
      this.partialLine = '';
      this.droppingOverlongLine = true;
      return;
    }
    this.partialLine += fragment;
  }

  private finishLine(events: ServerSentEvent[]): void {
    const line = this.partialLine;
    const dropped = this.droppingOverlongLine;
    this.partialLine = '';
    this.droppingOverlongLine = false;
    if (dropped) return;
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        // `retry` and unknown fields are ignored: reconnection is the caller's decision.
        break;
    }
  }

  private dispatch(events: ServerSentEvent[]): void {
    const eventType = this.eventType || 'message';
    const dataLines = this.dataLines;
    this.eventType = '';
    this.dataLines = [];
    // A blank line with no data ends nothing; except `complete`, which GraphQL over SSE sends bare.
    if (dataLines.length === 0 && eventType !== 'complete') return;
    events.push({ event: eventType, data: dataLines.join('\n'), id: this.lastEventId });
  }
}
