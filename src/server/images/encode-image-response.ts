import type { ImageResult } from '../../providers/images/image-adapter.js';

/**
 * Encodes an OpenAI ImagesResponse. Each image is sent the way the provider delivered it: providers that only return
 * data (GPT Image, Stability AI) answer `b64_json` even when the client asked for `url`, as OpenAI itself does for GPT Image.
 */
export function encodeImageResponse(result: ImageResult): Record<string, unknown> {
  const data = result.images.map((image) => {
    const item: Record<string, unknown> = image.url !== undefined ? { url: image.url } : { b64_json: image.b64 };
    if (image.revisedPrompt !== undefined) item.revised_prompt = image.revisedPrompt;
    return item;
  });
  const response: Record<string, unknown> = { created: result.created, data };
  const usage = result.usage;
  if (usage && !usage.estimated) {
    response.usage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
  }
  return response;
}
