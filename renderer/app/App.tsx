import { useEffect, useState } from 'react';
import { roleNames } from '../../shared/domain/operator';
import { useHotkeys } from '../keyboard/use-hotkeys';
import { useConsole } from '../state/use-console';
import { CallTakingDesk } from '../features/calltaking/CallTakingDesk';
import { COMMAND_LINE_ID } from '../features/command-line/CommandLine';
import { ConflictInbox } from '../features/conflicts/ConflictInbox';
import { IncidentsDesk } from '../features/incidents/IncidentsDesk';
import { SignIn } from '../features/session/SignIn';
import { ResourcesDesk } from '../features/dispatch/ResourcesDesk';
import { DeskMenu } from './DeskMenu';
import { windowTitles } from './desk';
import type { WindowRole } from '../../shared/domain/desk-layout';
import { MapDesk } from '../features/map/MapDesk';
import { SupervisorDesk } from '../features/dispatch/SupervisorDesk';
import { AdministrationDesk } from '../features/administration/AdministrationDesk';
import { windowsFor, rolesForWindow } from '../../shared/domain/desk-layout';
import { RefusedCommands } from '../features/status/RefusedCommands';
import { ReasonPrompt } from './ReasonPrompt';
import { SyncStatusBar } from '../features/status/SyncStatusBar';
import { ExerciseBanner } from '../features/training/ExerciseBanner';
import { StoreAlarm } from '../features/status/StoreAlarm';
import { focusById } from './focus';
import { PanelBoundary } from './PanelBoundary';
import { landOnDesk, leaveDesk, useWindowRole } from './landing';
import { useApi } from '../state/use-api';
import { EmergencyCallBanner } from '../features/calltaking/EmergencyCallBanner';
import { AuditDialog, auditsOnly, mayAudit } from '../features/audit/AuditDialog';
import { AuditPanel } from '../features/audit/AuditPanel';
import { useMayUse } from '../features/session/use-may';


/**
 * A console window: its role (from its address) decides the desk it shows. Around every desk: who is signed in,
 * the command line, the conflict inbox and refused commands, and the always-visible status.
 */
export function App() {
  const api = useApi();
  // Null for the workstation's first window until its operator lands on their own (landing.ts).
  const asked = useWindowRole();
  const role = asked ?? 'incidents';
  const phase = useConsole((s) => s.phase);
  const loadError = useConsole((s) => s.loadError);
  const config = useConsole((s) => s.config);
  const announcement = useConsole((s) => s.announcement);
  const session = useConsole((s) => s.session);
  const exercise = useConsole((s) => s.exercise);
  const signOut = useConsole((s) => s.signOut);
  const reasonPrompt = useConsole((s) => s.reasonPrompt);
  const giveReason = useConsole((s) => s.giveReason);
  const cancelReason = useConsole((s) => s.cancelReason);
  const operator = session?.operator ?? null;
  // A dialog is opened for the operator signed in then: nothing of one operator's session (a dialog left open)
  // outlives it for the next.
  const [opened, setOpened] = useState<{ by: string | null; dialog: 'conflicts' | 'refused' | 'audit' | null }>({ by: null, dialog: null });
  const dialog = opened.by === (operator?.id ?? null) ? opened.dialog : null;
  const setDialog = (which: 'conflicts' | 'refused' | 'audit' | null) => setOpened({ by: operator?.id ?? null, dialog: which });
  const closeDialog = () => setDialog(null);
  const landing = asked === null && operator !== null;
  // The conflict inbox and the refused commands are offered only to an operator who may see them (not an auditor),
  // and only in the room's windows: the administration window has no use for them.
  const roomWindow = role !== 'administration';
  const mayConflicts = useMayUse('conflicts.list') && roomWindow;
  const mayRefused = useMayUse('sync.deadLetters') && roomWindow;
  // The windows the operator's roles are for, as they stand now (an administrator's change reaches this window at
  // once): a window of a role they do not hold, asked for by its address or left open as a role was removed, shows
  // none of that role's desk.
  const held = windowsFor(operator?.roles ?? []);
  const holdsWindow = auditsOnly(operator) || held.includes(role);

  useEffect(() => {
    if (landing && operator) void landOnDesk(api, operator.roles);
    if (!operator && phase === 'ready') leaveDesk();
  }, [api, landing, operator, phase]);

  useHotkeys(role, {
    commandLine: () => operator && focusById(COMMAND_LINE_ID),
    conflicts: () => operator && mayConflicts && setDialog('conflicts'),
    refused: () => operator && mayRefused && setDialog('refused'),
    // An auditor's desk is the audit panel already; a supervisor opens it over theirs.
    audit: () => mayAudit(operator) && !auditsOnly(operator) && setDialog('audit'),
  });

  return (
    <div className="app" data-role={role} data-training={exercise !== null}>
      {/* One row of the window's grid: the header, and under it the 999 call banner while one rings. */}
      <div className="app-top">
        <PanelBoundary part="the training exercise banner">
          <ExerciseBanner />
        </PanelBoundary>
        <header className="app-header">
          <h1>Cordon</h1>
          <span className="force">{config?.force.name}</span>
          <nav aria-label="Window role" className="role">
            {auditsOnly(operator) ? (
              <strong aria-current="page">Audit log</strong>
            ) : (
              held.map((r) =>
                r === role ? (
                  <strong key={r} aria-current="page">
                    {windowTitles[r]}
                  </strong>
                ) : (
                  <a key={r} href={`?role=${r}`}>
                    {windowTitles[r]}
                  </a>
                ),
              )
            )}
          </nav>
          {operator && <DeskMenu role={role} />}
          {operator && (
            <span className="operator">
              {/* The roles in words for screen readers and on hover; the header has room only for the name. */}
              <span title={operator.roles.map((r) => roleNames[r]).join(', ')}>
                {operator.displayName}
                <span className="visually-hidden"> ({operator.roles.map((r) => roleNames[r]).join(', ')})</span>
              </span>
              {session?.signInMode === 'offline' && <span className="badge">signed in offline</span>}{' '}
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </span>
          )}
        </header>
        {operator && (
          <PanelBoundary part="the 999 call announcement">
            <EmergencyCallBanner role={role} />
          </PanelBoundary>
        )}
      </div>
      {phase === 'failed' && <p role="alert">The console could not load: {loadError}</p>}
      {/* Nothing of a desk shows before the core has said who, if anyone, is signed in here. */}
      {/* Each desk, and each panel within it, fails alone (PanelBoundary): the header, the status bar and the other
          panels carry on. */}
      {phase === 'ready' && landing && <p className="loading">Opening your desk…</p>}
      {phase === 'ready' &&
        !landing &&
        (!operator ? (
          <PanelBoundary part="the sign-in form">
            <SignIn />
          </PanelBoundary>
        ) : (
          <PanelBoundary key={role} part={`the ${windowTitles[role].toLowerCase()} desk`}>
            {auditsOnly(operator) ? (
              <main className="audit-desk">
                <AuditPanel />
              </main>
            ) : !holdsWindow ? (
              <RoleNotHeld role={role} held={held} />
            ) : role === 'calltaking' ? (
              <CallTakingDesk dialogOpen={dialog !== null} />
            ) : role === 'resources' ? (
              <ResourcesDesk />
            ) : role === 'map' ? (
              <MapDesk />
            ) : role === 'supervisor' ? (
              <SupervisorDesk />
            ) : role === 'administration' ? (
              <AdministrationDesk />
            ) : (
              <IncidentsDesk dialogOpen={dialog !== null} />
            )}
          </PanelBoundary>
        ))}
      {phase === 'loading' && <p className="loading">Connecting to the console core…</p>}
      <PanelBoundary part="the status bar">
        <SyncStatusBar />
      </PanelBoundary>
      <PanelBoundary part="the storage alarm">
        <StoreAlarm />
      </PanelBoundary>
      <div className="visually-hidden" role="status" aria-label="Announcements">
        {announcement}
      </div>
      {operator && mayConflicts && (
        <PanelBoundary part="the conflict inbox">
          <ConflictInbox open={dialog === 'conflicts'} onClose={closeDialog} />
        </PanelBoundary>
      )}
      {operator && reasonPrompt && (
        <ReasonPrompt key={reasonPrompt.incidentId} why={reasonPrompt.why} offered={reasonPrompt.offered} onGive={giveReason} onCancel={cancelReason} />
      )}
      {operator && mayAudit(operator) && !auditsOnly(operator) && (
        <PanelBoundary part="the audit log">
          <AuditDialog open={dialog === 'audit'} onClose={closeDialog} />
        </PanelBoundary>
      )}
      {operator && mayRefused && (
        <PanelBoundary part="the refused commands">
          <RefusedCommands open={dialog === 'refused'} onClose={closeDialog} />
        </PanelBoundary>
      )}
    </div>
  );
}

/**
 * A window of a role the operator does not hold: said plainly, with the windows that are theirs, and nothing of the
 * role's desk drawn (nor any of its records asked for).
 */
function RoleNotHeld({ role, held }: { role: WindowRole; held: readonly WindowRole[] }) {
  const who = rolesForWindow(role).map((r) => roleNames[r].toLowerCase());
  return (
    <main className="workspace role-not-held">
      <p role="alert">
        The {windowTitles[role]} window is for a {listWords(who)}, and you hold {who.length > 1 ? 'none of those roles' : 'no such role'}: nothing of it is shown here.
        {held.length === 0 ? ' None of your roles has a window of its own.' : ''}
      </p>
      {held.length > 0 && (
        <nav aria-label="Your windows">
          <ul>
            {held.map((r) => (
              <li key={r}>
                <a href={`?role=${r}`}>Open {windowTitles[r]}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </main>
  );
}

/** "a, b or c". */
function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
