/** Writes an Anthropic provider's stream events unchanged, apart from the model name in message_start and errors. */
export class NativeEventRelay {
  active = false;
  complete = false;

  write(event: string | undefined, data: string, model: string): string {
    this.active = true;
    const type = event ?? eventType(data);
    if (type === 'message_stop') this.complete = true;
    // An upstream error event may quote anything (even the request's credentials): the gateway writes its own, from
    // the redacted canonical error that follows it.
    if (type === 'error') return '';
    const payload = type === 'message_start' ? withModel(data, model) : data;
    return `${type ? `event: ${type}\n` : ''}data: ${payload}\n\n`;
  }
}

function eventType(data: string): string | undefined {
  const parsed = parse(data);
  return typeof parsed?.type === 'string' ? parsed.type : undefined;
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function withModel(data: string, model: string): string {
  const parsed = parse(data);
  const message = parsed?.message;
  if (!parsed || typeof message !== 'object' || message === null) return data;
  return JSON.stringify({ ...parsed, message: { ...message, model } });
}
