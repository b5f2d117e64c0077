import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { LogEntry } from '../../shared/domain/incident';
import type { Contact } from '../../shared/domain/contact';
import { unverifiedLocation } from '../../shared/domain/location';
import type { AnyRecord } from '../../shared/domain/records';
import { byHandShareId, type Share } from '../../shared/domain/share';
import { CALLER_NOT_SHARED, LOG_ENTRY_SHOWN, LOG_ENTRY_WITHHELD, THRIVE_NOT_SHARED, logEntryCut } from '../../shared/domain/share-cut';
import { sharePolicyOf } from '../../shared/domain/share-policy';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';

// What a force assisting with another force's incident (a share at the assist tier) reads of its log: the operational
// log, never the caller's number, name or account, nor the THRIVE answers (shared/domain/share-cut.ts logEntryCut).
const CALLER = '07700 900777';
const CORRECTED = '07700 900888';
const FURTHER = '07700 900999';
const NAME = 'Pat Quigley';
const ACCOUNT = 'Her ex-partner is outside with a bat';
const THRIVE_NOTE = 'bat seen at the window';
const PERSONAL = [CALLER, CORRECTED, FURTHER, NAME, ACCOUNT, THRIVE_NOTE];
const AT = '2026-11-29T10:00:00.000Z';

const share = (incidentId: string, tier: Share['tier'] = 'assist'): Share => ({
  id: byHandShareId(incidentId, 'NBR'),
  force: 'DMO',
  incidentId,
  sharedWith: 'NBR',
  tier,
  how: 'by_hand',
  reason: 'NBR units are nearer',
  by: 'bob',
  at: AT,
  revoked: null,
  version: 1,
});

const logOf = (records: RecordSet, incidentId: string) =>
  [...records.records.values()].filter((r): r is Extract<AnyRecord, { kind: 'logEntry' }> => r.kind === 'logEntry' && r.doc.incidentId === incidentId);

/** The log as NBR's workstations are sent it: each entry through the share policy, those it may see. */
function sentToNbr(records: RecordSet, incidentId: string, tier: Share['tier'] = 'assist'): LogEntry[] {
  const policy = sharePolicyOf([share(incidentId, tier)], () => null);
  return logOf(records, incidentId).flatMap((record) => {
    const grant = policy.grant('NBR', record);
    return grant ? [grant.record.doc as LogEntry] : [];
  });
}

/** A call answered by alice (`over`: another state of it). */
const ringing = (id: string, callerNumber: string, source: Contact['source'] = '999', over: Partial<Contact> = {}): AnyRecord => ({
  kind: 'contact',
  id,
  doc: { id, force: 'DMO', source, callerNumber, handsetLocation: null, state: 'answered', receivedAt: AT, workstation: 'WS-alice', answeredAt: AT, answeredBy: 'alice', answeredAtWorkstation: 'WS-alice', endedAt: null, incidentId: null, disposal: null, version: 2, ...over },
});

describe('the log another force reads at the assist tier', () => {
  it('carries every line, but none of the caller’s number, name or account, nor the THRIVE answers, however the line came', () => {
    const records = new RecordSet();
    const incidentId = randomUUID();
    const call = randomUUID();
    const further = randomUUID();
    records.put([ringing(call, CALLER), ringing(further, FURTHER, '101')]);
    records.must('incident.create', { incidentId, contactId: call, provisionalReference: 'WS-alice-P1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: { entryId: randomUUID(), text: 'Two units requested' } });
    records.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'yes', note: THRIVE_NOTE }, { questionId: 'injured', answer: 'no' }] });
    records.must('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: NAME, callerNumber: CORRECTED, description: ACCOUNT, location: unverifiedLocation('2 Crossways Road') } });
    records.must('contact.attach', { contactId: further, incidentId });

    const owners = logOf(records, incidentId).map((r) => r.doc.text);
    // The owner's log has it all (so the test would see a leak): the numbers, the name, the account, the answers.
    for (const words of PERSONAL) expect(owners.join('\n')).toContain(words);
    expect(owners.join('\n')).toMatch(/THRIVE assessment\n.* YES \(bat seen at the window\)/);

    const sent = sentToNbr(records, incidentId);
    // Redacted, not withheld: the holder reads every line, in order, without the caller's details or the answers.
    expect(sent).toHaveLength(owners.length);
    const texts = sent.map((entry) => entry.text);
    for (const words of PERSONAL) expect(JSON.stringify(sent)).not.toContain(words);
    expect(JSON.stringify(sent)).not.toMatch(/YES|sharedText/);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Opened as Assault .*; source: 999 emergency, ${CALLER_NOT_SHARED}$`)),
        'Two units requested',
        THRIVE_NOT_SHARED,
        `Caller name changed (${CALLER_NOT_SHARED})`,
        `Caller number changed (${CALLER_NOT_SHARED})`,
        `Description changed (${CALLER_NOT_SHARED})`,
        'Location changed from “Crossways Road” to “2 Crossways Road”',
        expect.stringMatching(new RegExp(`^Further contact attached: 101, received \\d\\d:\\d\\d:\\d\\d \\(${CALLER_NOT_SHARED}\\)$`)),
      ]),
    );
    // At the view tier, no line at all.
    expect(sentToNbr(records, incidentId, 'view')).toEqual([]);
  });

  it('reads a call answered on paper during an outage without who rang', () => {
    const records = new RecordSet();
    const incidentId = randomUUID();
    const call = randomUUID();
    const outage = { outageFrom: '2026-12-03T03:05:02.000Z', backAt: '2026-12-03T03:25:00.000Z' };
    records.put([ringing(call, CALLER, '999', { state: 'ringing', receivedAt: '2026-12-03T03:09:50.000Z', answeredAt: null, answeredBy: null, answeredAtWorkstation: null, version: 1 })]);
    const enteredAt = '2026-12-03T03:30:00.000Z';
    const paper = { at: '2026-12-03T03:11:00.000Z', outageFrom: outage.outageFrom };
    expect(records.run('incident.create', { incidentId, provisionalReference: 'WS-bob-P1', type: 'RTC', location: unverifiedLocation('Coast road'), grade: '1', firstLog: null, paper }, 'bob', enteredAt).ok).toBe(true);
    expect(records.run('contact.answerOnPaper', { contactId: call, incidentId, answeredAt: '2026-12-03T03:10:00.000Z', paper: outage }, 'bob', enteredAt).ok).toBe(true);
    expect(logOf(records, incidentId).map((r) => r.doc.text).join('\n')).toContain(CALLER);

    const texts = sentToNbr(records, incidentId).map((entry) => entry.text);
    expect(texts.join('\n')).not.toContain(CALLER);
    expect(texts).toContain(`999 call (rang 03:09:50) answered on paper at 03:10 by bob, ${CALLER_NOT_SHARED}`);
  });
});

describe('logEntryCut', () => {
  const line = (over: Partial<LogEntry>): LogEntry => ({ id: randomUUID(), force: 'DMO', incidentId: randomUUID(), kind: 'system', text: 'DM-11 at scene', author: 'bob', workstation: 'WS-DMO', at: AT, ...over });

  it('names every field of a log entry as shown or withheld, so a field added later reaches no other force until named', () => {
    expect([...LOG_ENTRY_SHOWN, ...LOG_ENTRY_WITHHELD].sort()).toEqual(Object.keys(LogEntry.shape).sort());
    const withStray = { ...line({ sharedText: null }), stray: CALLER } as LogEntry;
    expect(JSON.stringify(logEntryCut(withStray))).not.toContain(CALLER);
  });

  it('gives a note whole, a system line in its words for other forces, and withholds a system line never sorted so', () => {
    expect(logEntryCut(line({ kind: 'note', text: 'On our way' }))).toMatchObject({ kind: 'note', text: 'On our way' });
    expect(logEntryCut(line({ sharedText: null }))).toMatchObject({ text: 'DM-11 at scene' });
    const redacted = logEntryCut(line({ text: `Caller number changed from "" to "${CALLER}"`, sharedText: `Caller number changed (${CALLER_NOT_SHARED})` }));
    expect(redacted).toMatchObject({ text: `Caller number changed (${CALLER_NOT_SHARED})` });
    expect(redacted).not.toHaveProperty('sharedText');
    // Written before lines carried their words for other forces: nobody sorted them, so they go to no other force.
    expect(logEntryCut(line({ text: `Opened as Assault; source: 999 emergency, caller ${CALLER}` }))).toBeNull();
  });
});

describe('a conflict of the assisting force', () => {
  it('holds the incident as the share cuts it, never the caller’s details the owner’s copy has', () => {
    const nbr = loadForceConfig(neighbourForceConfigFile());
    const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.parse(AT) };
    const records = new RecordSet();
    records.put([{ kind: 'operator', id: 'omar', doc: { id: 'omar', force: 'NBR', displayName: 'omar', roles: ['dispatcher'], active: true, version: 1 } }]);
    expect(records.run('unit.register', { callSign: 'NB-101', type: 'RESP', homeStation: 'Northbridge' }, 'nbadmin', undefined, true, nbr).ok).toBe(true);
    expect(records.run('unit.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: 1 }, 'omar', undefined, false, nbr).ok).toBe(true);
    const incidentId = randomUUID();
    const call = randomUUID();
    records.put([ringing(call, CALLER)]);
    records.must('incident.create', { incidentId, contactId: call, provisionalReference: 'WS-alice-P1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
    records.must('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: NAME, callerNumber: CALLER, description: ACCOUNT } });
    records.must('incident.assessRisk', { incidentId, assessmentId: randomUUID(), answers: [{ questionId: 'danger-now', answer: 'yes', note: THRIVE_NOTE }] });
    let seq = 0;
    const decide = (force: 'DMO' | 'NBR', name: string, args: unknown) => {
      const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: ++seq, name, args, issuedAt: AT, operator: force === 'DMO' ? 'bob' : 'omar', ticket: '', workstation: `WS-${force}`, schemaVersion: SCHEMA_VERSION };
      const decision = planCommand(envelope, rulesOfForce(rules, force)!).decide(records, () => 1);
      if (decision.status === 'applied') records.put(decision.changes);
      return decision;
    };
    expect(decide('DMO', 'share.create', { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' }).status).toBe('applied');
    const incident = records.get('incident', incidentId)!;
    expect(decide('DMO', 'incident.close', { incidentId, closeId: randomUUID(), closingCode: demoConfig.closingCodes[0]!.code, incidentVersion: incident.version, reservationIds: [] }).status).toBe('applied');

    // NBR deploys its unit to it, not yet knowing DMO closed it: a conflict for NBR's inbox, with the incident as it stands.
    const lost = decide('NBR', 'unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, unitVersion: records.get('unit', 'NB-101')!.version });
    expect(lost).toMatchObject({ status: 'rejected', code: 'conflict' });
    const conflict = lost.changes.find((change) => change.kind === 'conflict');
    expect(conflict?.doc).toMatchObject({ force: 'NBR', theirs: { id: incidentId, status: 'closed', callerNumber: '', callerName: '', description: '', thrive: null } });
    for (const words of PERSONAL.filter((w) => w !== CORRECTED && w !== FURTHER)) expect(JSON.stringify(conflict)).not.toContain(words);
  });
});
