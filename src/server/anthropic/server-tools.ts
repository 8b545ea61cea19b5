import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { anthropicServerTools } from './decode-messages-request.js';

/**
 * Server tools (web search, code execution, ...) run inside Anthropic's API, so a request that carries them may only go
 * to Anthropic deployments; with none among the targets it is refused, naming the tool.
 */
export function targetsForServerTools(request: ChatRequest, targets: Deployment[]): Deployment[] {
  const tools = anthropicServerTools(request);
  if (tools.length === 0) return targets;
  const anthropic = targets.filter((target) => target.providerType === 'anthropic');
  if (anthropic.length > 0) return anthropic;
  const provider = targets[0]?.providerType ?? 'the selected provider';
  throw new GatewayError('invalid_request', `tools: server tool ${tools.join(', ')} runs only on Anthropic; model "${request.model}" is served by ${provider}. Remove the tool or use an Anthropic model.`, { param: 'tools' });
}
