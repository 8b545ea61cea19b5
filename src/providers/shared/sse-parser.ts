import type { StreamEvent } from '../../core/provider.js';

/**
 * Incremental server-sent-events parser (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Feed it decoded text as it arrives; it returns the complete events so far. One parser serves every provider.
 */
export class SseParser {
  private buffer = '';
  private eventName: string | undefined;
  private dataLines: string[] = [];

  push(chunk: string): StreamEvent[] {
    this.buffer += chunk;
    const events: StreamEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = this.buffer.indexOf('\n', start);
      if (newline === -1) break;
      let line = this.buffer.slice(start, newline);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = newline + 1;
      this.processLine(line, events);
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return events;
  }

  /** Call at end of input: a last event without its blank line still counts. */
  flush(): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (this.buffer.length > 0) {
      this.processLine(this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer, events);
      this.buffer = '';
    }
    this.dispatch(events);
    return events;
  }

  private processLine(line: string, events: StreamEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private dispatch(events: StreamEvent[]): void {
    if (this.dataLines.length > 0) {
      events.push({ event: this.eventName, data: this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join('\n') });
    }
    this.eventName = undefined;
    this.dataLines = [];
  }
}
