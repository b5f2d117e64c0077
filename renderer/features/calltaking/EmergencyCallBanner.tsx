import { useMemo, useState } from 'react';
import { compareForQueue } from '../../../shared/domain/contact';
import type { WindowRole } from '../../../shared/domain/desk-layout';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useNewArrivals } from '../../app/use-new-arrivals';
import { showRoleWindow } from '../../app/desk';
import { playEmergencyAlert } from './alert-sound';
import { useAnswers999 } from './use-answers-999';

/**
 * A ringing 999 call, announced in every window of a workstation whose operator takes calls (the force's
 * `calls.announceTo` roles): a banner for as long as one rings, with the key that answers it, and the alert sound
 * as each new one starts (each window's own sound setting holds). Answer time is the room's first measure: a call
 * handler at the incidents or map window must not miss a call that only the call-taking window shows.
 *
 * In the call-taking window F2 answers, as ever. In any other, Shift+F2 answers the longest-ringing 999 call at once
 * (its answer time is then), and brings the Call taking window forward, opening it if need be, where the call is
 * taken up (see CallTakingDesk).
 */
export function EmergencyCallBanner({ role }: { role: WindowRole }) {
  const api = useApi();
  const contacts = useConsole((s) => s.contacts);
  const recordsLoaded = useConsole((s) => s.recordsLoaded);
  const announce = useConsole((s) => s.announce);
  const [error, setError] = useState<string | null>(null);
  const told = useAnswers999();
  const ringing = useMemo(() => Object.values(contacts).filter((c) => c.state === 'ringing' && c.source === '999').sort(compareForQueue), [contacts]);
  const ids = useMemo(() => ringing.map((c) => c.id), [ringing]);

  useNewArrivals(ids, recordsLoaded && told, () => playEmergencyAlert());

  const inCallTaking = role === 'calltaking';
  useHotkeys(
    role,
    told && !inCallTaking
      ? {
          answer999: () => {
            const next = ringing[0];
            if (!next) return announce('No 999 call is ringing');
            setError(null);
            api.call('contacts.answer', { contactId: next.id }).then(
              () => {
                showRoleWindow('calltaking');
                announce(`Answered the 999 call from ${next.callerNumber ?? 'a withheld number'}: it is in the Call taking window`);
              },
              (e: unknown) => setError(`Could not answer: ${(e as Error).message}`),
            );
          },
        }
      : {},
  );

  if (!told || (ringing.length === 0 && !error)) return null;
  const first = ringing[0];
  const key = inCallTaking ? 'F2' : 'Shift+F2';
  return (
    <div className="emergency-banner">
      {first && (
        // Its words change only when the calls ringing change, so a screen reader hears it once per change.
        <p role="alert" className="emergency-alert">
          999 call ringing from {first.callerNumber ?? 'a withheld number'}
          {ringing.length > 1 ? ` (${ringing.length} 999 calls waiting)` : ''}: press <kbd>{key}</kbd> to answer
          {inCallTaking ? '' : ' (it opens in Call taking)'}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
