import { describe, expect, it } from 'vitest';
import { creationEntryId, inReadingOrder } from '../../shared/domain/incident';

// The order an incident's log is read in (shared/domain/incident.ts inReadingOrder): as the server accepted the
// lines, whatever the clocks of the desks that wrote them; lines not yet on the server after those; a line entered
// from paper at its paper time.
const incidentId = '11111111-1111-4111-8111-111111111111';
const at = (hhmm: string) => `2026-11-29T${hhmm}:00.000Z`;
let n = 0;
const line = (text: string, hhmm: string, more: { seq?: number; paper?: true } = {}) => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  incidentId,
  at: at(hhmm),
  text,
  ...(more.seq !== undefined ? { seq: more.seq } : {}),
  ...(more.paper ? { backEntered: { by: 'dan', workstation: 'WS-B', enteredAt: at('12:00'), outageFrom: at('09:00') } } : {}),
});
const texts = (entries: readonly { text: string }[]) => entries.map((entry) => entry.text);

describe('the order a log is read in', () => {
  // Issue 12 (a try-out's minor): after a lender took its unit back while the borrower's desk was offline, the desk's
  // queued lines, accepted after the take-back, were read before it, by the desk's time of writing.
  it('puts lines in the order the server accepted them, not by the time the desk wrote them', () => {
    const opened = line('Opened as Assault', '10:00', { seq: 10 });
    const takenBack = line('NB-101 taken back by NBR: needed in Northbridge', '10:12', { seq: 20 });
    const offline = line('NB-101 reports two detained', '10:10', { seq: 21 });
    const later = line('Ambulance requested', '10:11', { seq: 22 });
    expect(texts(inReadingOrder([later, offline, takenBack, opened]))).toEqual(['Opened as Assault', 'NB-101 taken back by NBR: needed in Northbridge', 'NB-101 reports two detained', 'Ambulance requested']);
  });

  it('reads lines not yet on the server after those that are, in the order they were written, the opening line first of its instant', () => {
    const onServer = line('Caller rang back', '10:30', { seq: 5 });
    const typed = line('Second note', '10:05');
    const created = { ...line('Opened as Theft', '10:05'), id: creationEntryId(incidentId) };
    expect(texts(inReadingOrder([typed, onServer, created]))).toEqual(['Caller rang back', 'Opened as Theft', 'Second note']);
  });

  it('keeps a line entered from paper at its paper time, before the first line written after it', () => {
    const opened = line('Opened as Fire', '09:00', { seq: 1 });
    const paper1 = line('On paper: crew at scene', '09:20', { seq: 40, paper: true });
    const paper2 = line('On paper: fire out', '09:40', { seq: 41, paper: true });
    const after = line('Back on the system', '10:00', { seq: 42 });
    expect(texts(inReadingOrder([after, paper2, paper1, opened]))).toEqual(['Opened as Fire', 'On paper: crew at scene', 'On paper: fire out', 'Back on the system']);
    // A paper line later than every other line comes last.
    expect(texts(inReadingOrder([paper2, opened]))).toEqual(['Opened as Fire', 'On paper: fire out']);
  });
});
