import { ApiError } from '../../../shared/contract/errors';
import type { AccountView } from '../../../shared/contract/views';
import { hasRole, type Operator } from '../../../shared/domain/operator';
import { passwordProblem } from '../../../shared/domain/password-rules';
import type { AdminRequest, AdminResponse } from '../../../shared/sync/admin-protocol';
import { LinkError } from '../../sync/server-link';
import { ERASABLE_WORDS, type ErasableKind } from '../../../shared/domain/erasure';
import { displayReference } from '../../../shared/domain/incident';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import type { CoreContext, HandlerGroup } from '../core-context';

/** An administrator's request before the core adds who asks and their ticket. */
type AdminQuestion = AdminRequest extends infer R ? (R extends AdminRequest ? Omit<R, 'operator' | 'ticket'> : never) : never;

type AdminChannels = 'admin.accounts' | 'admin.addOperator' | 'admin.setRoles' | 'admin.setActive' | 'admin.setPassword' | 'admin.unlock' | 'admin.erase' | 'admin.erasePreview';

/** Asks the server an administrator's question; the link's `admin`, or nothing where the link has none. */
export type AskAdmin = ((request: AdminRequest) => Promise<AdminResponse>) | null;

/**
 * The force administrator's desk: accounts as replicated commands (through the outbox, like any action: they reach
 * every workstation by the usual sync), passwords and lockouts by asking the server, which alone holds them. Those
 * need the server now, and say so in words when it cannot be reached.
 */
export function adminHandlers(ctx: CoreContext, askAdmin: AskAdmin): HandlerGroup<AdminChannels> {
  const { store } = ctx;

  /** The signed-in administrator, as this workstation's records say now (the server checks again). */
  const administrator = (): { operator: Operator; ticket: string } => {
    const signedIn = ctx.session.signedIn;
    if (!signedIn) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    const operator = store.view.get('operator', signedIn.operator.id) ?? signedIn.operator;
    if (!operator.active || !hasRole(operator, 'admin')) throw new ApiError('forbidden', `${operator.id} is not a force administrator`);
    return { operator, ticket: signedIn.ticket };
  };

  /** The server's answer, or its refusal in its own words; unreachable said as such (nothing was done). */
  const ask = async (request: AdminQuestion, doing: string): Promise<AdminResponse> => {
    const { operator, ticket } = administrator();
    if (!askAdmin) throw new ApiError('unavailable', `${doing} needs the central server, and this workstation has no link to one`);
    try {
      return await askAdmin({ ...request, operator: operator.id, ticket } as AdminRequest);
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      if (error.retryable || error.status === undefined) throw new ApiError('unavailable', `${doing} needs the central server, which cannot be reached now (offline): nothing was changed; try again when online`);
      throw new ApiError(error.status === 400 ? 'bad_request' : 'forbidden', `the server refused: ${error.said ?? error.message}`);
    }
  };

  const account = (name: string) => {
    const operator = store.view.get('operator', name);
    if (!operator) throw new ApiError('not_found', `no operator named ${name} on this workstation`);
    return operator;
  };

  /** The incident with this force or provisional reference (or this id) on this workstation; null for none here. */
  const incidentNamed = (record: string): string | null => {
    if (UUID.test(record)) return record;
    const found = store.view.findIncidents(record, 5).filter((i) => i.reference === record || i.provisionalReference === record);
    return found[0]?.id ?? null;
  };

  /**
   * Why a record named for erasure is not on this workstation: erased already (the server says by whom and when,
   * from its erasure entry: an erased incident is still named by its reference), or unknown here. Asked of the
   * server, which an erasure needs anyway; offline, only that it is not here.
   */
  const notHere = async (kind: ErasableKind, record: string): Promise<never> => {
    const here = `no ${ERASABLE_WORDS[kind]} ${record} on this workstation`;
    let answer: AdminResponse;
    try {
      answer = await ask({ action: 'erasure-of', kind, record }, 'Finding out whether it was erased');
    } catch (error) {
      if (error instanceof ApiError) throw new ApiError('not_found', `${here} (${error.message})`);
      throw error;
    }
    throw new ApiError(answer.erased ? 'bad_request' : 'not_found', answer.erased ? answer.done : here);
  };

  /** The id of the record named for erasure, as this workstation holds it; why not, in words, when it does not. */
  const erasable = async (kind: ErasableKind, record: string): Promise<string> => {
    const id = kind === 'incident' ? incidentNamed(record) : record;
    if (id === null) return notHere(kind, record);
    if (!UUID.test(id)) throw new ApiError('bad_request', `${record} is not the id of a ${ERASABLE_WORDS[kind]}`);
    const held = kind === 'incident' ? store.view.incident(id) : store.view.get(kind, id);
    return held ? id : notHere(kind, record);
  };

  /**
   * What erasing the record would take, for the confirmation: the record as named here, and what goes with it,
   * counted by the server with the erasure's own search (nothing written), so the count is exactly what the erasure
   * does; counts only, so nothing of the records' contents is shown or consulted. Online only, as the erasure is.
   */
  const erasurePreview = async (kind: ErasableKind, id: string): Promise<{ record: string; problem: string | null; goes: string[] }> => {
    const incident = kind === 'incident' ? store.view.incident(id) : undefined;
    const record = incident ? `incident ${displayReference(incident)}` : `${ERASABLE_WORDS[kind]} ${id}`;
    const answer = await ask({ action: 'erase-preview', record: { kind, id, ...(incident ? { named: displayReference(incident) } : {}) } }, 'Erasing a record');
    return { record, problem: answer.problem ?? null, goes: answer.goes ?? [] };
  };

  const checkPassword = (password: string, about: { name: string; displayName?: string }) => {
    const problem = passwordProblem(password, about);
    if (problem) throw new ApiError('bad_request', `password: ${problem}`);
  };

  return {
    'admin.accounts': async () => {
      administrator();
      const operators = store.view.operators();
      let serverProblem: string | null = null;
      let lockouts = new Map<string, { locked: boolean; until: string | null }>();
      try {
        const answer = await ask({ action: 'lockouts', subjects: operators.map((o) => o.id) }, 'Seeing which accounts are locked');
        lockouts = new Map(answer.accounts.map((a) => [a.operator, { locked: a.locked, until: a.until }]));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        serverProblem = error.message;
      }
      const accounts: AccountView[] = operators.map((operator) => {
        const lockout = lockouts.get(operator.id);
        return { ...operator, locked: lockout?.locked ?? null, lockedUntil: lockout?.until ?? null };
      });
      return { accounts, serverProblem };
    },
    'admin.addOperator': async ({ name, displayName, roles, password }) => {
      administrator();
      if (store.view.get('operator', name)) throw new ApiError('bad_request', `an operator named ${name} exists already: choose another name`);
      checkPassword(password, { name, displayName });
      // The password first: it needs the server now, and an account nobody can sign in to helps no one.
      await ask({ action: 'set-password', subject: name, password }, 'Adding an operator (their password is kept by the server)');
      ctx.issue('operator.add', () => ({ name, displayName, roles }));
      return { done: `added ${displayName} (${name}); they can sign in with the password given` };
    },
    'admin.setRoles': ({ name, roles, operatorVersion }) => {
      administrator();
      account(name);
      ctx.issue('operator.setRoles', () => ({ name, roles, operatorVersion }));
      return { done: `set ${name}'s roles` };
    },
    'admin.setActive': ({ name, active, operatorVersion }) => {
      administrator();
      account(name);
      ctx.issue('operator.setActive', () => ({ name, active, operatorVersion }));
      return { done: active ? `reactivated ${name}'s account` : `deactivated ${name}'s account: their sessions end as the change reaches their workstations` };
    },
    'admin.setPassword': async ({ name, password }) => {
      administrator();
      const operator = account(name);
      checkPassword(password, { name, displayName: operator.displayName });
      return { done: (await ask({ action: 'set-password', subject: name, password }, 'Setting a password')).done };
    },
    'admin.unlock': async ({ name }) => {
      administrator();
      account(name);
      return { done: (await ask({ action: 'unlock', subject: name }, 'Unlocking an account')).done };
    },
    'admin.erasePreview': async ({ kind, record }) => {
      administrator();
      return erasurePreview(kind, await erasable(kind, record));
    },
    'admin.erase': async ({ kind, record, reason }) => {
      administrator();
      // An incident is named as people know it, by its reference; the server finds what goes with it (and says
      // itself, by whom and when, if a record named by its id was erased already).
      const id = kind === 'incident' ? (incidentNamed(record) ?? (await notHere(kind, record))) : record;
      if (!UUID.test(id)) throw new ApiError('bad_request', `${record} is not the id of a ${ERASABLE_WORDS[kind]}`);
      // Named back in a refusal as the administrator named it (a reference), not by an id they never saw.
      return { done: (await ask({ action: 'erase', record: { kind, id, ...(kind === 'incident' && !UUID.test(record) ? { named: record } : {}) }, reason }, 'Erasing a record')).done };
    },
  };
}
