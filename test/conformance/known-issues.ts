/**
 * Adapter bugs this suite has found and that are not fixed yet. Such a case still runs: it is reported as a
 * TODO with the failure shown (so the run stays green) and as ✗ in docs/providers.md. Remove the entry once
 * the adapter is fixed; a case listed here that passes says so in the test output.
 */
export interface KnownIssue {
  row: string;
  caseId: string;
  reason: string;
}

export const knownIssues: readonly KnownIssue[] = [];

export function knownIssueFor(row: string, caseId: string): KnownIssue | undefined {
  return knownIssues.find((issue) => issue.row === row && issue.caseId === caseId);
}
