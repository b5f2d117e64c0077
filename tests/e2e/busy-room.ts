import { randomUUID } from 'node:crypto';
import { expect } from '@playwright/test';
import { SeedingRoom } from '../../bench/support/seeding-room';
import { bookOnForceUnits } from '../fakes/units';
import { registerForceUnits, runSystemCommands } from '../../server/commands/system-commands';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { GeoPoint } from '../../shared/domain/location';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { demoConfig } from '../fakes/fixtures';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { HttpWorkstation } from '../fakes/http-workstation';

const MINUTE = 60_000;

/** Market Street, Saltmere (the exercise area): where the fight is, and where the first caller's handset is. */
export const MARKET_STREET: GeoPoint = { lat: 53.92618, lon: 1.75155 };

/** What the seeded room holds that a test acts on afterwards. */
export interface BusyRoom {
  /** A grade 3 incident away from Market Street, no unit on it. */
  quietId: string;
  /** The 999 call from the fight's caller, ringing, its handset on Market Street: the first the desk answers. */
  firstCallId: string;
}

/**
 * A control room in the middle of a shift, written into the central server's storage before it starts, through
 * the server's own rules (as pushes would be): open incidents of every grade (one past its attendance target and
 * one near it, a downgrade waiting for a supervisor), one closed after a reopening and a change of type, units at every status (assigned, en route, at scene,
 * committed, reserved for later, unavailable, off duty), a warning marker in Market Street, calls ringing (three
 * 999, one 101, some with a caller history), a call-back owed for two abandoned 999 calls from one number, and one
 * for an abandoned 999 call from a withheld number, which cannot be rung back.
 */
export async function seedBusyRoom(serverFile: string): Promise<BusyRoom> {
  const storage = SqliteStorage.open(serverFile);
  const started = Date.now();
  let now = started;
  // The zone beside the configuration for rules that still take it there; rules that read it from the force
  // configuration ignore it (hence no ServerRules annotation, which would refuse the extra field).
  const rules = { config: demoConfig, timeZone: 'Europe/London', now: () => now };
  try {
    await registerForceUnits(storage, rules);
    // Every unit booked on (a unit comes on duty only so) before the shift's first call, until well after the test.
    now = started - 5 * 60 * MINUTE;
    await bookOnForceUnits(storage, rules, started + 12 * 60 * MINUTE);
    const room = await SeedingRoom.open(storage, rules);
    const versions = new Map<string, number>(demoConfig.units.map((unit) => [unit.callSign, 2]));
    const at = (minutesAgo: number) => (now = started - minutesAgo * MINUTE);
    const issue = async (name: string, args: Record<string, unknown>) => room.issue(0, name, args, now);
    let serial = 0;

    const incident = async (minutesAgo: number, grade: string, type: string, text: string, point: GeoPoint) => {
      at(minutesAgo);
      const id = randomUUID();
      serial += 1;
      const location = { text, point, source: 'gazetteer', district: 'Saltmere', accuracyM: null };
      await issue('incident.create', { incidentId: id, provisionalReference: `WS-1-P${serial}`, type, location, grade, firstLog: { entryId: randomUUID(), text: `Caller reports ${text}` } });
      return id;
    };
    /** Deploys a unit and moves it on through the statuses given (and the receipts its terminal sends). */
    const deploy = async (callSign: string, incidentId: string, steps: readonly string[], reserveFor: string | null = null) => {
      const assignmentId = randomUUID();
      await issue('unit.assign', { assignmentId, unitId: callSign, incidentId, unitVersion: versions.get(callSign) ?? 1, reserveFor });
      let version = 1;
      for (const step of steps) {
        if (step === 'received' || step === 'accepted') await issue('assignment.receipt', { assignmentId, unitId: callSign, incidentId, receipt: step });
        else await issue('assignment.setStatus', { assignmentId, unitId: callSign, incidentId, status: step, assignmentVersion: version });
        version += 1;
      }
    };
    const near = (dLat: number, dLon: number): GeoPoint => ({ lat: MARKET_STREET.lat + dLat, lon: MARKET_STREET.lon + dLon });

    await incident(25, '1', 'ASSAULT', 'Market Street, Saltmere', MARKET_STREET);
    await incident(13, '1', 'RTC', 'Harbour Road, Saltmere', near(-0.004, 0.006));
    const domestic = await incident(6, '1', 'DOMESTIC', 'Church Lane, Saltmere', near(0.006, -0.01));
    const burglary = await incident(45, '2', 'BURGLARY', 'Station Road, Saltmere', near(-0.01, -0.004));
    const alarm = await incident(20, '2', 'ALARM', 'Mill Road, Saltmere', near(0.012, 0.004));
    const missing = await incident(9, '2', 'MISSING', 'Marine Parade, Saltmere', near(-0.002, 0.015));
    const asb = await incident(180, '3', 'ASB', 'Park Avenue, Saltmere', near(0.015, 0.012));
    const theft = await incident(60, '3', 'THEFT', 'North Road, Saltmere', near(0.02, -0.006));
    const quietId = await incident(30, '3', 'SUSPICIOUS', 'Quay Street, Saltmere', near(-0.014, 0.01));
    await incident(240, '4', 'THEFT', 'High Street, Saltmere', near(0.003, 0.003));
    await incident(90, '4', 'CONCERN', 'Harbour Quay, Saltmere', near(-0.006, -0.012));
    // Closed, reopened when the caller rang back, and closed again with another code; its type changed on the way
    // (provisional reference WS-1-P12: found with FIND, being closed).
    const rangBack = await incident(150, '3', 'THEFT', 'Bridge Street, Saltmere', near(0.008, 0.008));
    await issue('incident.changeType', { incidentId: rangBack, changeId: randomUUID(), type: 'BURGLARY', reason: 'entry was forced' });
    at(140);
    await issue('incident.close', { incidentId: rangBack, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 2 });
    at(100);
    await issue('incident.reopen', { incidentId: rangBack, reopenId: randomUUID(), reason: 'Caller rang back: the shed was broken into again', incidentVersion: 3 });
    at(70);
    await issue('incident.close', { incidentId: rangBack, closeId: randomUUID(), closingCode: 'CRIME', incidentVersion: 4 });

    at(5);
    await deploy('DM-11', domestic, ['accepted', 'en_route']);
    await deploy('DM-12', missing, ['accepted', 'en_route', 'at_scene']);
    await deploy('DM-13', burglary, ['received', 'accepted', 'en_route', 'at_scene', 'committed']);
    await deploy('DM-14', alarm, []);
    await deploy('DM-31', theft, [], new Date(started + 120 * MINUTE).toISOString());
    for (const [callSign, duty] of [['DM-22', 'unavailable'], ['DM-32', 'off_duty']] as const) {
      await issue('unit.setDuty', { unitId: callSign, duty, unitVersion: versions.get(callSign)! });
      versions.set(callSign, versions.get(callSign)! + 1);
    }
    // A dispatcher asks to downgrade the anti-social behaviour: it waits for a supervisor.
    await issue('incident.regrade', { incidentId: asb, changeId: randomUUID(), grade: '4', reason: 'Group has dispersed' });

    at(30);
    await runSystemCommands(storage, rules, [
      { name: 'marker.add', args: { markerId: randomUUID(), point: MARKET_STREET, radiusM: 100, address: 'The Anchor, Market Street', warnings: ['violence', 'weapons'], note: 'Door staff carry radios' } },
    ]);

    // Calls: an earlier one from the neighbour's number (history), an abandoned 999 call (a call-back owed), and
    // four ringing now, 999 first then the longest waiting.
    const call = async (minutesAgo: number, source: string, callerNumber: string | null, handset: GeoPoint | null = null) => {
      at(minutesAgo);
      const contactId = randomUUID();
      const handsetLocation = handset ? { point: handset, accuracyM: 14, source: 'AML', at: new Date(now).toISOString() } : null;
      await issue('contact.receive', { contactId, source, callerNumber, receivedAt: new Date(now).toISOString(), handsetLocation });
      return contactId;
    };
    const earlier = await call(2 * 24 * 60, '101', '07700 900404');
    await issue('contact.answer', { contactId: earlier });
    await issue('contact.end', { contactId: earlier, outcome: 'completed', taskId: randomUUID(), disposal: { code: 'ADVICE', note: 'Noise from a party: advised to call the council' } });
    const misdial = await call(40, '999', '07700 900909');
    await issue('contact.answer', { contactId: misdial });
    await issue('contact.end', { contactId: misdial, outcome: 'completed', taskId: randomUUID(), disposal: { code: 'MISDIAL', note: 'Child playing with the phone; parent confirmed all well' } });
    const abandoned = await call(12, '999', '07700 900303');
    await issue('contact.end', { contactId: abandoned, outcome: 'abandoned', taskId: callBackTaskId(demoConfig.force.code, '07700 900303', abandoned) });
    const again = await call(9, '999', '07700 900303');
    await issue('contact.end', { contactId: again, outcome: 'abandoned', taskId: callBackTaskId(demoConfig.force.code, '07700 900303', again) });
    const withheld = await call(8, '999', null);
    await issue('contact.end', { contactId: withheld, outcome: 'abandoned', taskId: callBackTaskId(demoConfig.force.code, null, withheld) });
    const firstCallId = await call(3, '999', '07700 900101', MARKET_STREET);
    await call(2, '999', '07700 900404', near(0.0001, 0.0005));
    await call(1.5, '101', '07700 900202');
    await call(0.5, '999', '07700 900505');
    return { quietId, firstCallId };
  } finally {
    await storage.close();
  }
}

/**
 * What another workstation (dan's, straight to the server) does while the desk under test is offline: attaches the
 * first caller's call to the quiet incident and sends DM-51 there. Whatever the offline desk did with either is
 * then refused (the call belongs elsewhere) or a conflict (DM-51 changed since it looked).
 */
export async function meanwhileElsewhere(serverUrl: string, room: BusyRoom): Promise<void> {
  const other = await (await HttpWorkstation.enrol(serverUrl, randomUUID())).signIn('dan');
  const command = (clientSeq: number, name: string, args: unknown) => ({
    commandId: randomUUID(),
    clientId: other.clientId,
    clientSeq,
    name,
    args,
    issuedAt: new Date().toISOString(),
    operator: 'dan',
    ticket: '',
    workstation: 'WS-HTTP',
    schemaVersion: SCHEMA_VERSION,
  });
  // DM-51 is at version 2: registered, then booked on (seedBusyRoom).
  const { outcomes } = await other.pushed([
    command(1, 'contact.attach', { contactId: room.firstCallId, incidentId: room.quietId }),
    command(2, 'unit.assign', { assignmentId: randomUUID(), unitId: 'DM-51', incidentId: room.quietId, unitVersion: 2, reserveFor: null }),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
}
