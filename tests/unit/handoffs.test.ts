import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffDeadlines } from '../../shared/dispatch/deadlines';
import { alertingDispatchers, alertingSupervisor, describeHandoff, formatAge, untakenHandoff, untakenHandoffs } from '../../shared/dispatch/handoffs';
import { ownQueueOf, queueFor, queueName, queueOf, queuesOf } from '../../shared/domain/dispatch-queues';
import { ForceConfig } from '../../shared/domain/force-config';
import type { IncidentLocation } from '../../shared/domain/location';
import { unverifiedLocation } from '../../shared/domain/location';
import { wallClock } from '../../shared/domain/wall-clock';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

// Places in the demonstration force's dispatch areas (drawn on the generated town, Saltmere).
const NORTH = { lat: 53.955, lon: 1.75 }; // Northgate, north of the High Street line
const CENTRE_SOUTH = { lat: 53.925, lon: 1.75 }; // the centre's southern half: Saltmere Central is the north queue's
const SOUTH = { lat: 53.9, lon: 1.72 }; // Southmead
const VALE = { lat: 53.95, lon: 1.6 }; // the country west of the town
const SEA = { lat: 53.93, lon: 1.95 }; // offshore: inside no area
const at = (point: { lat: number; lon: number } | null): IncidentLocation => ({ text: 'Somewhere', point, source: point ? 'gazetteer' : 'unverified', district: null, accuracyM: null });

describe('every incident has a dispatch queue, from where it is', () => {
  it('puts a location in the first area whose boundary holds it, and one outside every area in the force control room’s queue', () => {
    expect(queueFor(demoConfig, at(NORTH))).toEqual({ force: 'DMO', area: 'SMN' });
    expect(queueFor(demoConfig, at(CENTRE_SOUTH))).toEqual({ force: 'DMO', area: 'SMN' });
    expect(queueFor(demoConfig, at(SOUTH))).toEqual({ force: 'DMO', area: 'SMS' });
    expect(queueFor(demoConfig, at(VALE))).toEqual({ force: 'DMO', area: 'MV' });
    expect(queueFor(demoConfig, at(SEA))).toEqual({ force: 'DMO', area: 'FCR' });
    // A location typed and not found has no point: it is still someone's, the control room's.
    expect(queueFor(demoConfig, unverifiedLocation('behind the old mill'))).toEqual({ force: 'DMO', area: 'FCR' });
    expect(queueName(demoConfig, { force: 'DMO', area: 'SMS' })).toBe('Saltmere South');
    expect(queuesOf(demoConfig).map((q) => q.name)).toEqual(['Saltmere North', 'Saltmere South', 'Marston Vale', 'Force control room']);
  });

  it('gives a force that draws no areas one queue for its whole area', () => {
    const { dispatchAreas: _drawn, untaken: _limits, ...rest } = demoConfig;
    const plain = ForceConfig.parse(rest);
    expect(queueFor(plain, at(NORTH))).toEqual({ force: 'DMO', area: 'ALL' });
    expect(untakenHandoff(plain, { ...incidentAt('2026-11-29T10:00:00Z'), grade: '1' }, Date.parse('2026-11-29T12:00:00Z'))?.stage).toBe('waiting');
  });

  it('refuses a configuration with an area code twice, or limits for a grade it does not have', () => {
    const twice = { ...demoConfig, dispatchAreas: { ...demoConfig.dispatchAreas, elsewhere: { code: 'SMN', name: 'Control room' } } };
    expect(ForceConfig.safeParse(twice).error?.issues.map((i) => i.message)).toContain('dispatch area code SMN appears twice');
    const unknownGrade = { ...demoConfig, untaken: { 9: { dispatchersAfterSeconds: 60, supervisorAfterSeconds: 60 } } };
    expect(ForceConfig.safeParse(unknownGrade).error?.issues.map((i) => i.message)).toContain('untaken limits name unknown grade 9');
  });

  it('records the queue on a new incident and moves it, logged, when its location moves to another area', () => {
    const state = new RecordSet();
    const incidentId = randomUUID();
    state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: at(NORTH), grade: '1', firstLog: null });
    expect(state.get('incident', incidentId)?.queue).toEqual({ force: 'DMO', area: 'SMN' });
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { location: at(SOUTH) } });
    expect(state.get('incident', incidentId)?.queue).toEqual({ force: 'DMO', area: 'SMS' });
    const log = [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' ? [r.doc.text] : []));
    expect(log).toContain('Queue changed from Saltmere North to Saltmere South');
    // An incident recorded before queues were kept still has one: its location's.
    const { queue: _none, ...old } = state.get('incident', incidentId)!;
    expect(queueOf(demoConfig, old)).toEqual({ force: 'DMO', area: 'SMS' });
  });
});

/** An open incident, as the rules read it, made at `createdAt` and untouched since. */
function incidentAt(createdAt: string) {
  return {
    id: randomUUID(),
    force: 'DMO',
    status: 'open' as const,
    grade: '1',
    location: at(NORTH),
    owner: null,
    activeUnits: [],
    attendedAt: null,
    createdAt,
    handoff: { waitingSince: createdAt, takenAt: null, takenBy: null },
  };
}

describe('an incident nobody takes alerts its queue’s dispatchers, then the supervisor', () => {
  // Grade 1 in the demonstration force: dispatchers after 60 s untaken, the supervisor 60 s after that.
  const MADE = '2026-11-29T10:00:00.000Z';
  const plus = (seconds: number) => Date.parse(MADE) + seconds * 1000;

  it('waits, then alerts the dispatchers, then the supervisor, by the grade’s limits', () => {
    const incident = incidentAt(MADE);
    expect(untakenHandoff(demoConfig, incident, plus(59))?.stage).toBe('waiting');
    expect(untakenHandoff(demoConfig, incident, plus(60))).toMatchObject({ stage: 'dispatchers', ageMs: 60_000, dispatchersAtMs: plus(60), supervisorAtMs: plus(120) });
    expect(untakenHandoff(demoConfig, incident, plus(120))?.stage).toBe('supervisor');
    // Grade 2 waits five minutes, grade 4 (resolved without deployment) never alerts, though it is in a queue.
    expect(untakenHandoff(demoConfig, { ...incident, grade: '2' }, plus(299))?.stage).toBe('waiting');
    expect(untakenHandoff(demoConfig, { ...incident, grade: '2' }, plus(300))?.stage).toBe('dispatchers');
    expect(untakenHandoff(demoConfig, { ...incident, grade: '4' }, plus(86_400))).toMatchObject({ stage: 'waiting', dispatchersAtMs: null });
    // Each stage of one wait has its own key, the same wherever it is worked out: each sounds once.
    expect(untakenHandoff(demoConfig, incident, plus(60))?.alertKey).toBe(`handoff:${incident.id}@${MADE}:dispatchers`);
  });

  it('stops when a dispatcher takes the incident, deploys a unit or reserves one, and starts again when it is reopened', () => {
    const state = new RecordSet();
    state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
    const make = () => {
      const incidentId = randomUUID();
      state.run('incident.create', { incidentId, provisionalReference: `WS-P${incidentId.slice(0, 4)}`, type: 'ASSAULT', location: at(NORTH), grade: '1', firstLog: null }, 'alice', MADE);
      return incidentId;
    };
    const handoff = (id: string, seconds: number) => untakenHandoff(demoConfig, state.get('incident', id)!, plus(seconds));

    const owned = make();
    expect(handoff(owned, 90)?.stage).toBe('dispatchers');
    expect(state.run('incident.takeOwnership', { incidentId: owned, takeId: randomUUID(), incidentVersion: state.get('incident', owned)!.version }, 'bob', new Date(plus(90)).toISOString()).ok).toBe(true);
    expect(handoff(owned, 600)).toBeNull();
    expect(state.get('incident', owned)?.handoff).toEqual({ waitingSince: MADE, takenAt: new Date(plus(90)).toISOString(), takenBy: 'bob' });

    const deployed = make();
    expect(state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId: deployed, unitVersion: state.get('unit', 'DM-11')!.version }, 'bob', new Date(plus(30)).toISOString()).ok).toBe(true);
    expect(handoff(deployed, 600)).toBeNull();

    const reserved = make();
    const reserveFor = new Date(plus(3600)).toISOString();
    expect(state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId: reserved, unitVersion: state.get('unit', 'DM-11')!.version, reserveFor }, 'bob', new Date(plus(30)).toISOString()).ok).toBe(true);
    expect(handoff(reserved, 600)).toBeNull();

    // Closed, it waits for nobody; reopened, it is back in its queue and untaken, its time running from the reopening.
    const closed = make();
    state.run('incident.takeOwnership', { incidentId: closed, takeId: randomUUID(), incidentVersion: state.get('incident', closed)!.version }, 'bob', new Date(plus(10)).toISOString());
    expect(state.run('incident.close', { incidentId: closed, closeId: randomUUID(), closingCode: demoConfig.closingCodes[0]!.code, incidentVersion: state.get('incident', closed)!.version }, 'bob', new Date(plus(20)).toISOString()).ok).toBe(true);
    expect(handoff(closed, 600)).toBeNull();
    expect(state.run('incident.reopen', { incidentId: closed, reopenId: randomUUID(), reason: 'caller rang back', incidentVersion: state.get('incident', closed)!.version }, 'bob', new Date(plus(1000)).toISOString()).ok).toBe(true);
    expect(handoff(closed, 1059)?.stage).toBe('waiting');
    expect(handoff(closed, 1060)?.stage).toBe('dispatchers');
  });

  it('puts another force’s incident in none of this force’s queues: no queue, no alert, no supervisor’s line, no log line due', () => {
    // DMO-20261201-0001 held at NBR through a share (its queue is never sent), or NBR's incident DMO keeps a view of
    // after transferring it: the desk must not work out a queue of its own force for it from where it is.
    const nbrConfig = { ...demoConfig, force: { ...demoConfig.force, code: 'NBR' } };
    const theirs = { ...incidentAt(MADE), grade: '' };
    expect(ownQueueOf(nbrConfig, theirs)).toBeNull();
    expect(ownQueueOf(demoConfig, theirs)).toEqual({ force: 'DMO', area: 'SMN' });
    expect(untakenHandoff(nbrConfig, theirs, plus(600))).toBeNull();
    expect(untakenHandoff(nbrConfig, { ...theirs, grade: '1' }, plus(600))).toBeNull();
    const ours = { ...incidentAt(MADE), force: 'NBR' };
    expect(untakenHandoffs(nbrConfig, [theirs, ours], plus(600)).map((h) => h.incidentId)).toEqual([ours.id]);
    expect(alertingSupervisor(untakenHandoffs(nbrConfig, [theirs, ours], plus(600))).map((h) => h.incidentId)).toEqual([ours.id]);
    expect(handoffDeadlines(nbrConfig, [theirs, { ...theirs, grade: '1' }], () => false)).toEqual([]);
    // The owner's desk still has it in its queue, alerting.
    expect(untakenHandoff(demoConfig, { ...theirs, grade: '1' }, plus(600))?.stage).toBe('supervisor');
  });

  it('treats an incident recorded before handoffs were kept as taken once anyone owns it or a unit is on it', () => {
    const { handoff: _none, ...old } = incidentAt(MADE);
    expect(untakenHandoff(demoConfig, old, plus(60))?.stage).toBe('dispatchers');
    expect(untakenHandoff(demoConfig, { ...old, owner: 'bob' }, plus(60))).toBeNull();
    expect(untakenHandoff(demoConfig, { ...old, activeUnits: ['DM-11'] }, plus(60))).toBeNull();
  });

  it('alerts the dispatchers of the queues a desk serves (every queue unless set), and lists all, longest waiting first', () => {
    const north = incidentAt(MADE);
    const south = { ...incidentAt('2026-11-29T09:59:00.000Z'), queue: { force: 'DMO', area: 'SMS' } };
    const fresh = incidentAt('2026-11-29T10:01:50.000Z');
    const all = untakenHandoffs(demoConfig, [north, south, fresh], plus(125));
    expect(all.map((h) => [h.incidentId, h.stage])).toEqual([
      [south.id, 'supervisor'],
      [north.id, 'supervisor'],
      [fresh.id, 'waiting'],
    ]);
    expect(alertingDispatchers(all, null).map((h) => h.incidentId)).toEqual([south.id, north.id]);
    expect(alertingDispatchers(all, new Set(['DMO/SMN'])).map((h) => h.incidentId)).toEqual([north.id]);
    expect(alertingSupervisor(all)).toHaveLength(2);
  });
});

describe('the log says once for the room who was alerted about an untaken incident', () => {
  const MADE = '2026-11-29T10:00:00.000Z';
  const iso = (seconds: number) => new Date(Date.parse(MADE) + seconds * 1000).toISOString();
  const logOf = (state: RecordSet) => [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' && r.doc.text.startsWith('Not taken') ? [r.doc.text] : []));

  it('falls due for anyone to claim at each stage’s time, and no longer once its line is written', () => {
    const state = new RecordSet();
    const incidentId = randomUUID();
    state.run('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: at(SOUTH), grade: '1', firstLog: null }, 'alice', MADE);
    const logged = (id: string) => state.get('logEntry', id) !== undefined;
    const due = () => handoffDeadlines(demoConfig, [state.get('incident', incidentId)!], logged);
    expect(due().map((d) => [d.dueMs - Date.parse(MADE), d.firstClaim, d.command.args.stage])).toEqual([
      [60_000, null, 'dispatchers'],
      [120_000, null, 'supervisor'],
    ]);
    const claim = (stage: string, seconds: number, operator = 'bob') => state.run('incident.handoffOverdue', { incidentId, waitingSince: MADE, stage }, operator, iso(seconds));

    // Too early, a claim changes nothing; at its time it writes the line; a second desk's claim adds nothing.
    expect(claim('dispatchers', 59)).toEqual({ ok: true, changes: [] });
    expect(claim('dispatchers', 61).ok).toBe(true);
    expect(claim('dispatchers', 62, 'carol')).toEqual({ ok: true, changes: [] });
    expect(logOf(state)).toEqual(["Not taken by a dispatcher 60 s after it was made: the Saltmere South queue's dispatchers are alerted"]);
    expect(due().map((d) => d.command.args.stage)).toEqual(['supervisor']);
    expect(claim('supervisor', 119)).toEqual({ ok: true, changes: [] });
    expect(claim('supervisor', 121).ok).toBe(true);
    expect(logOf(state)[1]).toBe('Not taken by a dispatcher 120 s after it was made: the supervisor is alerted');
    expect(due()).toEqual([]);
    // The incident's version is left alone: a dispatcher about to take it does not lose to the alert.
    expect(state.get('incident', incidentId)?.version).toBe(1);
  });

  // Issue 12 m2: an incident transferred in waits from the acceptance, and its line says so, not "after it was made".
  it('says an incident transferred in was not taken after it was transferred, timed from the acceptance', () => {
    const state = new RecordSet();
    const incidentId = randomUUID();
    state.run('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: at(SOUTH), grade: '1', firstLog: null }, 'alice', iso(-3600));
    const made = state.get('incident', incidentId)!;
    // As transfer-move.ts leaves it: come from NBR an hour after the call, waiting in DMO's queue since the acceptance.
    state.put([{ kind: 'incident', id: incidentId, doc: { ...made, handoff: { waitingSince: MADE, takenAt: null, takenBy: null }, handovers: [{ from: 'NBR', to: 'DMO', at: MADE, acceptedBy: 'bob', type: 'VIOLENCE', became: 'ASSAULT' }], version: made.version + 1 } }]);
    expect(handoffDeadlines(demoConfig, [state.get('incident', incidentId)!], () => false).map((d) => d.dueMs - Date.parse(MADE))).toEqual([60_000, 120_000]);
    expect(state.run('incident.handoffOverdue', { incidentId, waitingSince: MADE, stage: 'dispatchers' }, 'carol', iso(61)).ok).toBe(true);
    expect(logOf(state)).toEqual(["Not taken by a dispatcher 60 s after it was transferred to DMO: the Saltmere South queue's dispatchers are alerted"]);
  });

  it('changes nothing for an incident taken meanwhile, or for an earlier wait than its latest', () => {
    const state = new RecordSet();
    const incidentId = randomUUID();
    state.run('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: at(SOUTH), grade: '1', firstLog: null }, 'alice', MADE);
    state.run('incident.takeOwnership', { incidentId, takeId: randomUUID(), incidentVersion: 1 }, 'bob', iso(30));
    expect(state.run('incident.handoffOverdue', { incidentId, waitingSince: MADE, stage: 'dispatchers' }, 'carol', iso(61))).toEqual({ ok: true, changes: [] });
    expect(state.run('incident.handoffOverdue', { incidentId, waitingSince: iso(-600), stage: 'dispatchers' }, 'carol', iso(61))).toEqual({ ok: true, changes: [] });
    expect(handoffDeadlines(demoConfig, [state.get('incident', incidentId)!], () => false)).toEqual([]);
  });
});

describe('a handoff’s age and times, across the changes of the clocks and on a machine in another zone', () => {
  const london = wallClock('Europe/London');
  const machineZone = process.env.TZ;
  beforeEach(() => {
    // The machine's own zone must not matter: times are the force's.
    process.env.TZ = 'America/New_York';
  });
  afterEach(() => {
    if (machineZone === undefined) delete process.env.TZ;
    else process.env.TZ = machineZone;
  });

  it('counts an hour that repeats in October as the hour it is, and says which 01:30 it was', () => {
    // Made at 01:30 BST on 25 October 2026; an hour later the clocks read 01:30 again, GMT.
    const incident = { ...incidentAt('2026-10-25T00:30:00.000Z'), grade: '3' };
    const now = Date.parse('2026-10-25T01:30:00.000Z');
    const handoff = untakenHandoff(demoConfig, incident, now)!;
    expect(handoff.ageMs).toBe(3_600_000);
    expect(describeHandoff(handoff, 'Saltmere North', london, now)).toBe('Saltmere North, untaken 1 h 00 min (since 01:30 BST); escalated to the supervisor at 01:30 GMT');
  });

  it('counts the hour the clocks skip in March as not there', () => {
    // Made at 00:59 GMT on 29 March 2026; two minutes later the clocks read 02:01 BST.
    const incident = incidentAt('2026-03-29T00:59:00.000Z');
    const now = Date.parse('2026-03-29T01:01:00.000Z');
    const handoff = untakenHandoff(demoConfig, incident, now)!;
    expect(formatAge(handoff.ageMs)).toBe('2 min 00 s');
    expect(describeHandoff(handoff, 'Saltmere North', london, now)).toBe('Saltmere North, untaken 2 min 00 s (since 00:59); escalated to the supervisor at 02:01');
  });

  it('shows a summer handoff in BST and names the day when it began the day before', () => {
    const incident = incidentAt('2026-07-15T22:58:00.000Z'); // 23:58 BST on 15 July
    const now = Date.parse('2026-07-15T23:01:00.000Z'); // 00:01 BST on 16 July
    expect(describeHandoff(untakenHandoff(demoConfig, incident, now)!, 'Saltmere North', london, now)).toBe(
      'Saltmere North, untaken 3 min 00 s (since 2026-07-15 23:58); escalated to the supervisor at 00:00',
    );
  });
});
