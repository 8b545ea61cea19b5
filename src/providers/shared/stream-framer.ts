import type { StreamEvent, StreamFraming } from '../../core/provider.js';
import { AwsEventStreamDecoder } from './aws-eventstream.js';
import { SseParser } from './sse-parser.js';

/** Splits an upstream body into events, whatever its framing. */
export interface StreamFramer {
  push(chunk: Uint8Array): StreamEvent[];
  flush(): StreamEvent[];
}

class SseFramer implements StreamFramer {
  private readonly decoder = new TextDecoder();
  private readonly parser = new SseParser();

  push(chunk: Uint8Array): StreamEvent[] {
    return this.parser.push(this.decoder.decode(chunk, { stream: true }));
  }

  flush(): StreamEvent[] {
    const rest = this.decoder.decode();
    return rest ? [...this.parser.push(rest), ...this.parser.flush()] : this.parser.flush();
  }
}

class AwsEventStreamFramer implements StreamFramer {
  private readonly decoder = new AwsEventStreamDecoder();

  push(chunk: Uint8Array): StreamEvent[] {
    return this.decoder.push(chunk);
  }

  flush(): StreamEvent[] {
    return [];
  }
}

export function createFramer(framing: StreamFraming): StreamFramer {
  return framing === 'aws-eventstream' ? new AwsEventStreamFramer() : new SseFramer();
}
