import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../state/use-api';

/**
 * For an operator whose commands the server refused because their sign-in was not good (it had lapsed): a button
 * that asks for their password again. Signed in with the server, the workstation sends the held commands again,
 * as theirs; signed in here only (the server still unreachable), they wait for the next time.
 */
export function SignInAgain({ operator }: { operator: string }) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    else if (!open && element.open) element.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setPassword('');
    setMessage(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      // Every window follows the session through the core's session.changed event.
      const session = await api.call('session.signIn', { operator, password });
      setPassword('');
      if (session.signInMode === 'offline') setMessage('Signed in here only: the server cannot be reached, so the held commands wait until it can.');
      else close();
    } catch (e) {
      setMessage((e as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {' — '}
      <button type="button" onClick={() => setOpen(true)}>
        Sign in again
      </button>
      <dialog
        ref={dialog}
        aria-label="Sign in again"
        onCancel={(e) => (e.preventDefault(), close())}
        // Esc closes here, before the window's own Esc can take the key and keep the dialog open.
        onKeyDown={(e) => e.key === 'Escape' && !e.defaultPrevented && (e.preventDefault(), close())}
      >
        <form onSubmit={submit}>
          <p>
            The server did not accept {operator}’s sign-in for the commands held. Enter the password to send them again
            as {operator}’s.
          </p>
          <label htmlFor={`${id}-password`}>Password</label>
          <input id={`${id}-password`} type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
          {message && <p role="alert">{message}</p>}
          <div className="buttons">
            <button type="submit" disabled={busy}>
              Sign in again
            </button>
            <button type="button" onClick={close}>
              Cancel (Esc)
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
