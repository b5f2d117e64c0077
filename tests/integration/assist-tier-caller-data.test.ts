import { describe, expect, it } from 'vitest';
import type { TelephonyAdapter, TelephonyEvent } from '../../main/adapters/telephony/telephony-adapter';
import type { ContactView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { CALLER_NOT_SHARED, THRIVE_NOT_SHARED } from '../../shared/domain/share-cut';
import { call, eventually } from '../fakes/fixtures';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// A force assisting with another's incident (a share at the assist tier) works it from the log, but is not given the
// caller's personal data (shared/domain/share-cut.ts logEntryCut): on one real server, on each storage, DMO takes a
// 999 call into an incident with the caller's name, number, account and THRIVE answers, a further call attached and
// the number corrected; shared with NBR at assist, NBR's workstation reads every line of the log, and its SQLite file
// holds none of the caller's details or answers.
const CALLER = '07700 900521';
const FURTHER = '07700 900522';
const CORRECTED = '07700 900523';
const NAME = 'Morgan Ellery';
const ACCOUNT = 'Neighbour shouting threats through the letterbox';
const THRIVE_NOTE = 'has a kitchen knife';
const FIRST_LOG = 'Two units to attend';

/** DMO's switch: rings a call when the test says. */
class Switch implements TelephonyAdapter {
  private listener: ((event: TelephonyEvent) => void) | null = null;
  start(listener: (event: TelephonyEvent) => void): void {
    this.listener = listener;
  }
  answer(): void {}
  answeredElsewhere(): void {}
  stop(): void {
    this.listener = null;
  }
  ring(callId: string, callerNumber: string): void {
    this.listener?.({ type: 'ringing', callId, source: '999', callerNumber, at: new Date().toISOString() });
  }
}

describe.each(twoForceServerStorages())('the caller’s details at the assist tier on $name', ({ start }) => {
  const room = twoForceRoom(start);

  it('reach no workstation of the force assisting: its file holds the log without the caller’s number, name, account or THRIVE answers', async () => {
    const phone = new Switch();
    const dmo = room.workstation('WS-DMO', 'DMO', { telephony: phone });
    const nbr = room.workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'carol', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });

    const answered = async (callId: string, number: string): Promise<string> => {
      phone.ring(callId, number);
      let ringing: ContactView | undefined;
      await eventually(async () => {
        ringing = (await call<{ contacts: ContactView[] }>(dmo, 'contacts.queue', {})).contacts.find((c) => c.callerNumber === number);
        return ringing !== undefined;
      }, `the call from ${number} rings at DMO`);
      await call(dmo, 'contacts.answer', { contactId: ringing!.id });
      return ringing!.id;
    };

    const first = await answered('c1', CALLER);
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', {
      type: 'ASSAULT',
      location: unverifiedLocation('Crossways Road'),
      grade: '1',
      firstLog: FIRST_LOG,
      contactId: first,
      description: ACCOUNT,
      callerName: NAME,
      callerNumber: CALLER,
      thrive: [{ questionId: 'danger-now', answer: 'yes', note: THRIVE_NOTE }],
    });
    await call(dmo, 'contacts.attach', { contactId: await answered('c2', FURTHER), incidentId: incident.id });
    await call(dmo, 'incidents.update', { incidentId: incident.id, fields: { callerNumber: CORRECTED } });
    const dmoLog = () => dmo.store.view.logOf(incident.id);
    await eventually(() => dmoLog().length >= 5 && dmoLog().every((e) => !e.pending), 'DMO’s log is on the server');
    // DMO's own file has them all, so a leak to NBR's would be seen.
    const owners = dmoLog().map((e) => e.text).join('\n');
    for (const words of [CALLER, FURTHER, CORRECTED, THRIVE_NOTE]) expect(owners).toContain(words);
    expect(room.fileBytes('WS-DMO')).toContain(CALLER);

    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' });
    await eventually(() => nbr.store.view.logOf(incident.id).length === dmoLog().length, 'NBR holds every line of the log', 20_000);

    // Read as anyone with the disk could: no trace of the caller or the answers.
    const file = room.fileBytes('WS-NBR');
    for (const words of [CALLER, FURTHER, CORRECTED, NAME, ACCOUNT, THRIVE_NOTE, 'Is anyone in immediate danger?']) expect(file, `NBR's file holds ${words}`).not.toContain(words);
    const texts = nbr.store.view.logOf(incident.id).map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        FIRST_LOG,
        THRIVE_NOT_SHARED,
        `Caller number changed (${CALLER_NOT_SHARED})`,
        expect.stringMatching(new RegExp(`^Opened as .*; source: 999 emergency, ${CALLER_NOT_SHARED}$`)),
        expect.stringMatching(new RegExp(`^Further contact attached: 999, received .* \\(${CALLER_NOT_SHARED}\\)$`)),
      ]),
    );
  }, 120_000);
});
