import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { findPiiInMessages, redactMessages } from './redact-messages.js';

export type PrivacyMode = 'off' | 'redact' | 'private-only' | 'reject';

export interface PrivacyDecision {
  targets: Deployment[];
  /** The request each target receives: redacted for non-private targets under `redact`. */
  requestFor: ((deployment: Deployment) => ChatRequest) | undefined;
  /** Kinds of personal or secret data found, for the log and the response header. */
  found: string[];
}

/**
 * Applies a privacy mode before any provider sees the prompt: `redact` masks personal and secret data for
 * non-private targets, `private-only` keeps such prompts on private targets, `reject` refuses them.
 */
export function applyPrivacy(mode: PrivacyMode, request: ChatRequest, targets: Deployment[]): PrivacyDecision {
  if (mode === 'off') return { targets, requestFor: undefined, found: [] };
  const found = findPiiInMessages(request.messages);
  if (found.length === 0) return { targets, requestFor: undefined, found };
  if (mode === 'reject') {
    throw new GatewayError('invalid_request', `The prompt contains personal or secret data (${found.join(', ')}), which this route does not accept. Remove it and try again.`, { param: 'messages' });
  }
  if (mode === 'private-only') {
    const privateTargets = targets.filter((deployment) => deployment.private);
    if (privateTargets.length === 0) {
      throw new GatewayError('permission_denied', `The prompt contains personal or secret data (${found.join(', ')}) and this route has no private target to send it to.`, { param: 'messages' });
    }
    return { targets: privateTargets, requestFor: undefined, found };
  }
  let redacted: ChatRequest | undefined;
  return {
    targets,
    found,
    requestFor: (deployment) => {
      if (deployment.private) return request;
      if (!redacted) {
        // The client's own body holds the unredacted text, so a redacted request is sent from its canonical form.
        const { native: _unredacted, ...rest } = request;
        redacted = { ...rest, messages: redactMessages(request.messages).messages };
      }
      return redacted;
    },
  };
}
