import { azureOpenAiImageAdapter, openAiImageAdapter } from './openai-images.js';
import type { ImageAdapter } from './image-adapter.js';
import { stabilityImageAdapter } from './stability-images.js';

const imageAdapters = new Map<string, ImageAdapter>([
  ['openai', openAiImageAdapter],
  ['azure-openai', azureOpenAiImageAdapter],
  ['stability', stabilityImageAdapter],
]);

/** The image wire format of a provider type, or undefined when that type generates no images. */
export function imageAdapterFor(providerType: string): ImageAdapter | undefined {
  return imageAdapters.get(providerType);
}
