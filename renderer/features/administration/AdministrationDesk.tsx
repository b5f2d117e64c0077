import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AccountView } from '../../../shared/contract/views';
import { hasRole, Role, roleNames, type Role as RoleName } from '../../../shared/domain/operator';
import { wallClock } from '../../../shared/domain/wall-clock';
import { focusById } from '../../app/focus';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { PanelBoundary } from '../../app/PanelBoundary';
import { useAction } from '../../app/use-action';
import { listKeyTarget } from '../../keyboard/list-navigation';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { usePasswordProblem } from './use-password-problem';
import { SharingArrangements } from './SharingArrangements';
import { stateWords } from './account-words';
import { ERASE_KIND_ID, EraseRecord } from './EraseRecord';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

const ACCOUNTS_ID = 'admin-accounts';
const ADD_NAME_ID = 'admin-add-name';
/** The account form's first control, where the keyboard goes when an account is chosen. */
const ACCOUNT_FIRST_ID = 'admin-account-first';
/** A row of the accounts, by sign-in name (the grid's active row is named by it). */
const rowId = (name: string) => `admin-account-${name}`;
/** How many accounts PageDown and PageUp move by. */
const PAGE_ROWS = 10;
/** How long a pause ends a name being typed to find an account, in ms. */
const TYPE_AHEAD_MS = 1000;
/** How often the accounts are read again (another administrator's changes, lockouts counted on the server). */
const REFRESH_MS = 10_000;

/** The rule in words, shown beside every password field before anything is typed. */
const RULE = 'At least 12 characters, not a common password and not the operator’s name; three random words make a good one.';

/**
 * The force administrator's window: every account with its roles and state (active, deactivated, locked), and, for
 * the one chosen, its roles, deactivation, unlocking and a new password; and a form to add an operator. Account
 * changes are commands (they reach every workstation by the usual sync); passwords and unlocking go to the server,
 * which must be reachable, and say so when it is not.
 */
export function AdministrationDesk() {
  const api = useApi();
  const operator = useConsole((s) => s.session?.operator);
  const timeZone = useConsole((s) => s.config?.force.timeZone);
  const announce = useConsole((s) => s.announce);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  // The row the arrow keys are on (a sign-in name), apart from the account chosen: moving through the accounts
  // opens none of them, so an administrator can look down the list without the form changing under them.
  const [cursor, setCursor] = useState<string | null>(null);
  const typed = useRef({ text: '', at: 0 });
  const [loadError, setLoadError] = useState<string | null>(null);

  // Read again after each change made here (`generation`), as this workstation's commands reach the server (`waiting`),
  // and every few seconds (other administrators' changes, lockouts counted on the server).
  const [generation, setGeneration] = useState(0);
  const waiting = useConsole((s) => s.sync?.pending ?? 0);
  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('admin.accounts', {}).then(
        (answer) => {
          if (!live) return;
          setAccounts(answer.accounts);
          setServerProblem(answer.serverProblem);
          setLoadError(null);
        },
        (error: unknown) => live && setLoadError((error as Error).message),
      );
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [api, generation, waiting]);
  useHotkeys('administration', { addOperator: () => focusById(ADD_NAME_ID), focusAccounts: () => focusById(ACCOUNTS_ID), eraseRecord: () => focusById(ERASE_KIND_ID), home: () => focusById(ACCOUNTS_ID) });

  // The row the keyboard is on is kept in view, however far down a force's accounts it is.
  useLayoutEffect(() => {
    if (cursor) document.getElementById(rowId(cursor))?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  if (!hasRole(operator ?? undefined, 'admin')) {
    return (
      <main className="workspace administration">
        <p role="alert">Only a force administrator may administer accounts.</p>
      </main>
    );
  }
  const done = (message: string) => {
    announce(message);
    setGeneration((n) => n + 1);
  };
  const account = accounts.find((a) => a.id === chosen) ?? null;
  /** Opens an account's form and puts the keyboard in it (Esc comes back to its row). */
  const manage = (name: string) => {
    setCursor(name);
    setChosen(name);
    focusById(ACCOUNT_FIRST_ID);
  };
  // The accounts as a grid with one tab stop: arrows, Home, End, PageUp and PageDown move the row; typing a sign-in
  // name's first letters goes to it; Enter manages the account on the row.
  const onAccountsKey = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.target !== event.currentTarget) return;
    const index = accounts.findIndex((a) => a.id === cursor);
    const to = listKeyTarget(event.key, index, accounts.length, PAGE_ROWS);
    if (to !== null) {
      event.preventDefault();
      setCursor(accounts[to]!.id);
    } else if (event.key === 'Enter' && index >= 0) {
      event.preventDefault();
      manage(accounts[index]!.id);
    } else if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      const now = performance.now();
      const text = (now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text : '') + event.key.toLowerCase();
      typed.current = { text, at: now };
      const found = accounts.find((a) => a.id.toLowerCase().startsWith(text));
      if (found) setCursor(found.id);
    }
  };
  const cursorIndex = accounts.findIndex((a) => a.id === cursor);
  const clock = timeZone ? wallClock(timeZone) : null;

  return (
    <>
      <main className="workspace administration">
        <section aria-labelledby="accounts-heading" className="accounts">
          <h2 id="accounts-heading">Accounts</h2>
          {loadError && <p role="alert">{loadError}</p>}
          {serverProblem && <p role="status">Lockouts cannot be shown: {serverProblem}</p>}
          <div className="accounts-scroll">
          <table
            id={ACCOUNTS_ID}
            role="grid"
            tabIndex={0}
            aria-labelledby="accounts-heading"
            aria-describedby="accounts-keys"
            aria-activedescendant={cursorIndex >= 0 ? rowId(cursor!) : undefined}
            onKeyDown={onAccountsKey}
          >
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Shown as</th>
                <th scope="col">Roles</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Choose</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} id={rowId(a.id)} aria-selected={a.id === cursor} aria-current={a.id === chosen ? 'true' : undefined}>
                  <td>{a.id}</td>
                  <td>{a.displayName}</td>
                  <td>{a.roles.map((r) => roleNames[r]).join(', ')}</td>
                  <td>{stateWords(a, clock)}</td>
                  <td>
                    {/* Out of the Tab order: the grid is one stop, and Enter manages the row's account. */}
                    <button type="button" tabIndex={-1} aria-label={`Manage ${a.id}`} onClick={() => manage(a.id)}>
                      Manage
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <p id="accounts-keys" className="hint">
            Arrow keys, Home, End, Page Up and Page Down move through the accounts, or type a sign-in name; Enter manages the account, Esc comes back to it.
          </p>
        </section>
        {account && <AccountPanel key={`${account.id}-${account.version}`} account={account} self={account.id === operator?.id} onDone={done} />}
        <AddOperator onDone={done} />
        <PanelBoundary part="the sharing arrangements">
          <SharingArrangements />
        </PanelBoundary>
        <EraseRecord onDone={done} />
      </main>
      <ShortcutLegend role="administration" />
    </>
  );
}

/** Role checkboxes, in a fieldset named for what they choose. */
function RolePicker({ legend, roles, onChange, firstId }: { legend: string; roles: readonly RoleName[]; onChange(roles: RoleName[]): void; firstId?: string }) {
  const id = useId();
  return (
    <fieldset className="role-picker">
      <legend>{legend}</legend>
      {Role.options.map((role, i) => {
        const inputId = i === 0 && firstId ? firstId : `${id}-${role}`;
        return (
        <label key={role} htmlFor={inputId}>
          <input
            id={inputId}
            type="checkbox"
            checked={roles.includes(role)}
            onChange={(e) => onChange(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))}
          />{' '}
          {roleNames[role]}
        </label>
        );
      })}
    </fieldset>
  );
}

/** A password field with the rule said before typing and what is wrong said as it is typed. */
function PasswordField({ label, value, onChange, about }: { label: string; value: string; onChange(value: string): void; about: { name: string; displayName?: string } }) {
  const id = useId();
  const problem = usePasswordProblem(value, about);
  return (
    <>
      <label htmlFor={`${id}-password`}>{label}</label>
      <input id={`${id}-password`} type="password" autoComplete="new-password" value={value} aria-describedby={`${id}-rule ${id}-problem`} aria-invalid={problem ? true : undefined} onChange={(e) => onChange(e.target.value)} />
      <p id={`${id}-rule`} className="hint">
        {RULE}
      </p>
      <p id={`${id}-problem`} className="hint" aria-live="polite">
        {value && (problem ? `This password is ${problem}.` : '')}
      </p>
    </>
  );
}

function AccountPanel({ account, self, onDone }: { account: AccountView; self: boolean; onDone(message: string): void }) {
  const api = useApi();
  const [roles, setRoles] = useState<RoleName[]>(account.roles);
  const [password, setPassword] = useState('');
  const action = useAction();
  const run = (work: () => Promise<{ done: string }>) =>
    void action.run(async () => {
      const { done } = await work();
      onDone(`Done: ${done}`);
    });
  const saveRoles = (event: FormEvent) => {
    event.preventDefault();
    run(() => api.call('admin.setRoles', { name: account.id, roles, operatorVersion: account.version }));
  };
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const askToDeactivate = () => {
    setConfirming(true);
    window.setTimeout(() => keepRef.current?.focus(), 0);
  };
  const keep = () => setConfirming(false);
  const deactivate = () => {
    setConfirming(false);
    run(() => api.call('admin.setActive', { name: account.id, active: false, operatorVersion: account.version }));
  };
  const setNewPassword = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const answer = await api.call('admin.setPassword', { name: account.id, password });
      setPassword('');
      return answer;
    });
  };
  return (
    <section aria-labelledby="account-heading" className="account">
      <h2 id="account-heading">
        {account.displayName} ({account.id})
      </h2>
      {action.error && <p role="alert">{action.error}</p>}
      <form onSubmit={saveRoles} aria-label={`Change the roles of ${account.id}`}>
        <RolePicker legend={`Roles of ${account.id}`} roles={roles} onChange={setRoles} firstId={ACCOUNT_FIRST_ID} />
        {self && <p className="hint">You cannot remove your own administrator role: the force must keep an administrator.</p>}
        <button type="submit" disabled={action.busy || roles.length === 0}>
          Save roles
        </button>
      </form>
      <div role="group" aria-label={`Account of ${account.id}`}>
        {account.active ? (
          <button type="button" disabled={action.busy || self || confirming} onClick={askToDeactivate}>
            Deactivate account
          </button>
        ) : (
          <button type="button" disabled={action.busy} onClick={() => run(() => api.call('admin.setActive', { name: account.id, active: true, operatorVersion: account.version }))}>
            Reactivate account
          </button>
        )}
        {account.locked && (
          <button type="button" disabled={action.busy} onClick={() => run(() => api.call('admin.unlock', { name: account.id }))}>
            Unlock account
          </button>
        )}
      </div>
      {confirming && (
        // Deactivation signs the operator out wherever they are: asked first, naming them, with the choice that does
        // nothing focused (Escape also keeps the account as it is).
        <div role="group" aria-labelledby={`${id}-deactivate-words`} className="confirm" onKeyDown={(e) => e.key === 'Escape' && !action.busy && keep()}>
          <p id={`${id}-deactivate-words`}>
            Deactivate the account of {account.displayName} ({account.id})? They are signed out at every workstation as the change reaches it, and cannot sign in until it is reactivated.
          </p>
          <button type="button" disabled={action.busy} onClick={deactivate}>
            Deactivate {account.displayName}
          </button>
          <button type="button" ref={keepRef} disabled={action.busy} onClick={keep}>
            Keep {account.displayName} active
          </button>
        </div>
      )}
      <form onSubmit={setNewPassword} aria-label={`Set a password for ${account.id}`}>
        <PasswordField label={`New password for ${account.id}`} value={password} onChange={setPassword} about={{ name: account.id, displayName: account.displayName }} />
        <button type="submit" disabled={action.busy || !password}>
          Set password
        </button>
      </form>
    </section>
  );
}

function AddOperator({ onDone }: { onDone(message: string): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<RoleName[]>([]);
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const { done } = await api.call('admin.addOperator', { name: name.trim(), displayName, roles, password });
      clearSaved(() => {
        setName(keepTypedSince(name));
        setDisplayName(keepTypedSince(displayName));
        setRoles([]);
        // A password is never kept on screen past its use, typed on or not.
        setPassword('');
      });
      onDone(`Done: ${done}`);
    });
  };
  return (
    <section aria-labelledby="add-heading" className="add-operator">
      <h2 id="add-heading">Add an operator</h2>
      <form onSubmit={submit} aria-labelledby="add-heading">
        <label htmlFor={ADD_NAME_ID}>Sign-in name</label>
        <input id={ADD_NAME_ID} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="admin-add-display">Name shown</label>
        <input id="admin-add-display" autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <RolePicker legend="Roles of the new operator" roles={roles} onChange={setRoles} />
        <PasswordField label="Initial password" value={password} onChange={setPassword} about={{ name: name.trim(), displayName }} />
        {action.error && <p role="alert">{action.error}</p>}
        <button type="submit" disabled={action.busy}>
          Add operator
        </button>
      </form>
    </section>
  );
}
