import { useMemo, useState, type KeyboardEvent } from 'react';
import { compareForQueue, contactSourceNames } from '../../../shared/domain/contact';
import type { ContactView } from '../../../shared/contract/views';
import { elapsed, useNow } from '../../app/use-now';
import { useNewArrivals } from '../../app/use-new-arrivals';
import { listKeyTarget } from '../../keyboard/list-navigation';
import { useConsole } from '../../state/use-console';
import { alertSoundOn, setAlertSound } from './alert-sound';

export const QUEUE_ID = 'call-queue';

/**
 * Calls waiting and calls being taken, 999 first then the longest waiting, each with its time waiting counting up.
 * A new 999 call flashes the queue (the banner and the sound are every window's: EmergencyCallBanner). The arrow
 * keys, Home and End move in it; Enter takes the call chosen: answers it if it rings, takes it up again if it is one
 * of this handler's.
 */
export function ContactQueue({ activeId, onChoose }: { activeId: string | null; onChoose(contact: ContactView): void }) {
  const contactsById = useConsole((s) => s.contacts);
  const recordsLoaded = useConsole((s) => s.recordsLoaded);
  const now = useNow();
  const [sound, setSound] = useState(alertSoundOn());
  const [kept, setKept] = useState(true);
  const [flash, setFlash] = useState(false);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const contacts = useMemo(
    () => Object.values(contactsById).filter((c) => c.state === 'ringing' || c.state === 'answered').sort(compareForQueue),
    [contactsById],
  );
  const ringing999 = useMemo(() => contacts.filter((c) => c.state === 'ringing' && c.source === '999').map((c) => c.id), [contacts]);

  useNewArrivals(ringing999, recordsLoaded, () => {
    setFlash(true);
    setTimeout(() => setFlash(false), 3000);
  });

  // The cursor is where the arrows left it, while that call is still listed; else on the call being taken.
  const cursor = contacts.find((c) => c.id === cursorId) ?? contacts.find((c) => c.id === activeId) ?? null;
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const to = listKeyTarget(event.key, cursor ? contacts.indexOf(cursor) : -1, contacts.length);
    if (to !== null) {
      event.preventDefault();
      setCursorId(contacts[to]!.id);
      document.getElementById(`contact-${contacts[to]!.id}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && cursor) {
      event.preventDefault();
      onChoose(cursor);
    }
  };

  return (
    <section className={`contact-queue${flash ? ' alerting' : ''}`} aria-labelledby={`${QUEUE_ID}-heading`}>
      <h2 id={`${QUEUE_ID}-heading`}>Calls ({contacts.filter((c) => c.state === 'ringing').length} waiting)</h2>
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
        aria-activedescendant={cursor ? `contact-${cursor.id}` : undefined}
        onKeyDown={onKeyDown}
      >
        {contacts.map((contact) => (
          <li
            key={contact.id}
            id={`contact-${contact.id}`}
            role="option"
            aria-selected={contact.id === activeId}
            className={contact.id === cursor?.id ? 'cursor' : undefined}
            data-source={contact.source}
            onClick={() => onChoose(contact)}
          >
            <span className="source">{contactSourceNames[contact.source]}</span>{' '}
            <span className="number">{contact.callerNumber ?? 'withheld'}</span>{' '}
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
