import { adapterFor } from '../../../src/providers/registry.js';
import { openAiKit } from '../kits/openai.js';
import { openAiResponsesKit } from '../kits/openai-responses.js';
import { conformanceRows, type ConformanceRow } from '../rows.js';

/**
 * Azure OpenAI serves the same Responses API wire format as OpenAI (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses):
 * its answers and events are the Responses kit's, its endpoint and error answers Azure's own.
 */
function azureResponsesRow(): ConformanceRow {
  const adapter = adapterFor('azure-openai', 'responses');
  if (!adapter) throw new Error('No Responses adapter is registered for azure-openai');
  const azure = openAiKit('azure-openai');
  return { name: 'azure-openai (api: responses)', adapter, kit: { ...openAiResponsesKit(), endpoint: azure.endpoint, errors: azure.errors, upstreamModel: azure.upstreamModel } };
}

/** Every row of the chat suite, and the Azure Responses-API upstream, which only the Responses ingress relays natively. */
export function responsesRows(): ConformanceRow[] {
  return [...conformanceRows(), azureResponsesRow()];
}
