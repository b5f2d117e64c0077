import { useId, useState, type FormEvent } from 'react';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { restoreDesk } from '../../app/desk';
import { requestedRole } from '../../app/focus';
import { landOnDesk } from '../../app/landing';
import { roleNames } from '../../../shared/domain/operator';

/**
 * The sign-in screen: nothing else is possible at a workstation until an operator has signed in. When the server
 * cannot be reached, an operator who signed in here before can still sign in (checked against this workstation).
 */
export function SignIn() {
  const session = useConsole((s) => s.session);
  const signIn = useConsole((s) => s.signIn);
  const demonstration = useConsole((s) => s.config?.demonstration);
  const api = useApi();
  const [operator, setOperator] = useState(session?.suggestedOperator ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const session = await signIn(operator, password);
      // The operator's desk comes back as they left it: the other windows open where they were. The workstation's
      // first window becomes their own first (their saved desk's first window, else their role's).
      void (async () => {
        const own = requestedRole() ?? (await landOnDesk(api, session.operator?.roles ?? []));
        await restoreDesk(api, own);
      })().catch(() => undefined);
    } catch (e) {
      setError((e as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Sign in to {session?.workstation ?? 'this workstation'}</h2>
        {session?.notice && (
          <p role="status" className="sign-in-notice">
            {session.notice}
          </p>
        )}
        <label htmlFor={`${id}-operator`}>Operator</label>
        <input id={`${id}-operator`} autoComplete="username" autoFocus={!operator} value={operator} onChange={(e) => setOperator(e.target.value)} />
        <label htmlFor={`${id}-password`}>Password</label>
        <input id={`${id}-password`} type="password" autoComplete="current-password" autoFocus={Boolean(operator)} value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {demonstration && session?.signInAccounts && (
        <section className="demo-accounts" aria-labelledby={`${id}-demo`}>
          <h2 id={`${id}-demo`}>Demonstration accounts</h2>
          <p>
            This is a demonstration force: every account’s password is <kbd>{demonstration.password}</kbd>.
          </p>
          <ul aria-labelledby={`${id}-demo`}>
            {session.signInAccounts.map((account) => (
              <li key={account.name}>
                <kbd>{account.name}</kbd> {account.roles.map((r) => roleNames[r].toLowerCase()).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
