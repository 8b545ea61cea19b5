/**
 * Whether streamed tool-call arguments are finished: a JSON object cannot grow into another valid JSON object, so no
 * further fragment can belong to it. Stream encoders that must close one call's block before the next opens use it.
 */
export function isCompleteObject(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
