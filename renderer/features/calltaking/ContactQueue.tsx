import { useEffect, useMemo, useRef, useState } from 'react';
import { compareForQueue, contactSourceNames } from '../../../shared/domain/contact';
import type { ContactView } from '../../../shared/contract/views';
import { elapsed, useNow } from '../../app/use-now';
import { useConsole } from '../../state/use-console';
import { alertSoundOn, playEmergencyAlert, setAlertSound } from './alert-sound';

export const QUEUE_ID = 'call-queue';

/**
 * Calls waiting and calls being taken, 999 first then the longest waiting, each with its time waiting counting up.
 * A new 999 call sounds the alert and flashes the queue.
 */
export function ContactQueue({ activeId, onChoose }: { activeId: string | null; onChoose(contact: ContactView): void }) {
  const contactsById = useConsole((s) => s.contacts);
  const now = useNow();
  const [sound, setSound] = useState(alertSoundOn());
  const [kept, setKept] = useState(true);
  const [flash, setFlash] = useState(false);
  const seen = useRef<Set<string> | null>(null);
  const contacts = useMemo(
    () => Object.values(contactsById).filter((c) => c.state === 'ringing' || c.state === 'answered').sort(compareForQueue),
    [contactsById],
  );

  useEffect(() => {
    const ringing999 = contacts.filter((c) => c.state === 'ringing' && c.source === '999').map((c) => c.id);
    // The first list is what was already ringing when the window opened: no alert for it.
    if (seen.current && ringing999.some((id) => !seen.current!.has(id))) {
      playEmergencyAlert();
      setFlash(true);
      setTimeout(() => setFlash(false), 3000);
    }
    seen.current = new Set([...(seen.current ?? []), ...ringing999]);
  }, [contacts]);

  return (
    <section className={`contact-queue${flash ? ' alerting' : ''}`} aria-labelledby={`${QUEUE_ID}-heading`}>
      <h2 id={`${QUEUE_ID}-heading`}>Calls ({contacts.filter((c) => c.state === 'ringing').length} waiting)</h2>
      {flash && (
        <p role="alert" className="emergency-alert">
          New 999 call
        </p>
      )}
      {/* Beside the list, not in it: a listbox holds only options. Read with the list as it takes focus. */}
      {contacts.length === 0 && (
        <p id={`${QUEUE_ID}-empty`} className="empty">
          No calls waiting.
        </p>
      )}
      <ul
        id={QUEUE_ID}
        role="listbox"
        aria-label="Calls"
        aria-describedby={contacts.length === 0 ? `${QUEUE_ID}-empty` : undefined}
        tabIndex={0}
        aria-activedescendant={activeId ? `contact-${activeId}` : undefined}
      >
        {contacts.map((contact) => (
          <li key={contact.id} id={`contact-${contact.id}`} role="option" aria-selected={contact.id === activeId} data-source={contact.source} onClick={() => onChoose(contact)}>
            <span className="source">{contactSourceNames[contact.source]}</span>
            <span className="number">{contact.callerNumber ?? 'withheld'}</span>
            <span className="state">
              {contact.state === 'ringing' ? `ringing ${elapsed(now - Date.parse(contact.receivedAt))}` : `answered by ${contact.answeredBy}`}
            </span>
          </li>
        ))}
      </ul>
      <label className="sound-setting">
        <input
          type="checkbox"
          checked={sound}
          onChange={(e) => {
            setKept(setAlertSound(e.target.checked));
            setSound(e.target.checked);
          }}
        />{' '}
        Sound for new 999 calls
        {!kept && <span className="secondary">(for this window only: the browser keeps no settings for the console)</span>}
      </label>
    </section>
  );
}
