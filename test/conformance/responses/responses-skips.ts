import { skipFor as chatSkipFor, type Skip } from '../skips.js';

/**
 * Responses-ingress cases a provider cannot support, each with its reason. A case may also name the chat case it
 * rests on (`sameAs`): where the chat suite skips that case for a row (no cached-token counts, no Retry-After), the
 * Responses case is skipped with the same reason, since the ingress can only write what the provider reported.
 */
export const responsesSkips: readonly Skip[] = [];

/**
 * Bugs this suite found that are not fixed yet; such a case still runs and is reported as TODO. Empty: every bug the
 * suite found so far was fixed in the encoders.
 */
export const responsesKnownIssues: readonly Skip[] = [];

export function responsesSkipFor(row: string, caseId: string, sameAs: string | undefined): Skip | undefined {
  const own = responsesSkips.find((skip) => skip.row === row && (skip.caseId === caseId || caseId.startsWith(`${skip.caseId}/`)));
  return own ?? (sameAs === undefined ? undefined : chatSkipFor(row, sameAs));
}

export function responsesKnownIssueFor(row: string, caseId: string): Skip | undefined {
  return responsesKnownIssues.find((issue) => issue.row === row && issue.caseId === caseId);
}
