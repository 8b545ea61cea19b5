import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { useSession } from '../session';

export function SignIn() {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The app then leaves the sign-in page for the page that asked for it.
      await signIn(key.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <h1>Switchyard console</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label className="field" htmlFor="admin-key">
          Admin key
          <input id="admin-key" name="admin-key" type="password" autoComplete="off" required value={key} onChange={(event) => setKey(event.target.value)} placeholder="sy-admin-…" />
        </label>
        <p id="sign-in-help" className="help">
          The key is kept in this tab only (session storage) and forgotten when you sign out or close the tab.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorNote error={error} />
      </form>
    </main>
  );
}
