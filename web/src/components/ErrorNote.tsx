import { ApiError } from '../api';

/** A failed call as the user reads it: the gateway's own message, and for a 403 why the role may not. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message = error instanceof Error ? error.message : String(error);
  const denied = error instanceof ApiError && error.status === 403;
  return (
    <div className="error-note" role="alert">
      <strong>{denied ? 'Not allowed: ' : 'Error: '}</strong>
      {message}
    </div>
  );
}
