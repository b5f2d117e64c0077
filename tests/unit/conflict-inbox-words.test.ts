import { describe, expect, it } from 'vitest';
import { commandNames } from '../../shared/commands/registry';
import type { ConflictView } from '../../shared/contract/views';
import { describeCommand, describeTheirs } from '../../renderer/features/conflicts/describe-command';

// The conflict inbox and the refused list name each command as the operator would say what they did. The try-out
// of issue 12 found "share.create — omar…", "share.revoke", "incident.link" and "assignment.receipt" there.
const lookup = { incidents: {}, units: {} };

describe('the words the conflict inbox and the refused list give a command', () => {
  it('never show a command by its name, for every command there is', () => {
    for (const name of commandNames) expect(describeCommand(name, {}, lookup), name).not.toMatch(/\b[a-z]+\.[a-zA-Z]+\b/);
  });

  it('never show "undefined", when a command’s arguments were cleared by an erasure or a field is missing from them (issue 12’s try-out)', () => {
    for (const name of commandNames) {
      for (const args of [null, {}, { incidentId: 'x' }]) {
        const words = describeCommand(name, args, lookup);
        expect(words, `${name} ${JSON.stringify(args)}`).not.toMatch(/undefined|null|\[object/);
        expect(words, name).not.toMatch(/\b[a-z]+\.[a-zA-Z]+\b/);
      }
    }
    expect(describeCommand('unit.assign', null, lookup)).toBe('Deploy or reserve a unit');
    expect(describeCommand('unit.assign', { incidentId: 'x' }, lookup)).toBe('Deploy a unit to an incident');
  });

  it('say what a share, a revoke, a link and a terminal’s receipt were', () => {
    expect(describeCommand('share.create', { incidentId: 'x', sharedWith: 'DMO', tier: 'assist', reason: 'Border job' }, lookup)).toBe('Share an incident with DMO (assist): “Border job”');
    expect(describeCommand('share.revoke', { shareId: 'x' }, lookup)).toBe('Revoke a share of an incident');
    expect(describeCommand('incident.link', {}, lookup)).toBe('Link incidents');
    expect(describeCommand('assignment.receipt', { unitId: 'NB-103', incidentId: 'x', receipt: 'accepted' }, lookup)).toBe('NB-103’s crew: accepted the deployment on an incident');
    expect(describeCommand('refusal.handle', { action: 'dismissed', issuedBy: 'dan', commandName: 'incident.addLog' }, lookup)).toBe('Dismiss dan’s refused command (write in an incident’s log)');
  });

  it('say what another force’s incident is as its share shows it: reference, priority and type, never a closing code it withholds', () => {
    const theirs = { id: 'i1', force: 'DMO', reference: 'DMO-20261201-0004', status: 'closed', closingCode: null, closedBy: null, owner: null, version: 2, sharedView: { tier: 'assist', commonPriority: 2, typeName: 'Assault' } };
    const conflict = { target: { kind: 'incident', id: 'i1' }, theirs } as unknown as ConflictView;
    expect(describeTheirs(conflict, lookup)).toBe("DMO-20261201-0004 (DMO's P2 urgent Assault) is closed");
  });

  it('name another force’s incident as its share shows it, its reference and type, where a deployment to it is described', () => {
    const shared = { id: 'i1', force: 'DMO', reference: 'DMO-20261201-0004', provisionalReference: '', sharedView: { tier: 'assist', commonPriority: 1, typeName: 'Assault' } };
    const held = { incidents: { i1: shared }, units: {} } as unknown as Parameters<typeof describeCommand>[2];
    expect(describeCommand('unit.assign', { unitId: 'NB-101', incidentId: 'i1' }, held)).toBe("Deploy NB-101 to DMO-20261201-0004, DMO's Assault");
    expect(describeCommand('assignment.setStatus', { unitId: 'NB-101', incidentId: 'i1', status: 'at_scene' }, held)).toBe("Set NB-101 at scene on DMO-20261201-0004, DMO's Assault");
  });

  it('never speak of a record’s version: what it is now, and who made it so where the record says', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['unit', { callSign: 'DM-11', duty: 'on_duty', commitment: null, version: 7 }],
      ['incident', { id: 'i9', reference: 'DMO-20261201-0009', status: 'open', owner: 'bob', version: 7 }],
      ['task', { callerNumber: '07700 900123', state: 'open', claim: { by: 'alice' }, version: 7 }],
      ['loan', { force: 'DMO', status: 'accepted', answeredBy: 'omar', callSign: 'NB-101', version: 7 }],
      ['transfer', { force: 'DMO', status: 'declined', answeredBy: 'omar', incident: { reference: 'DMO-20261201-0009' }, version: 7 }],
      ['arrangement', { force: 'DMO', typeName: 'Assault', sharedWith: 'NBR', status: 'approved', version: 7 }],
      ['assignment', { unitId: 'DM-11', status: 'at_scene', version: 7 }],
    ];
    for (const [kind, theirs] of cases) {
      const words = describeTheirs({ target: { kind, id: 'x' }, theirs } as unknown as ConflictView, lookup);
      expect(words, kind).not.toMatch(/version|\b7\b/);
    }
    expect(describeTheirs({ target: { kind: 'task', id: 'x' }, theirs: cases[2]![1] } as unknown as ConflictView, lookup)).toBe('The call-back to 07700 900123 is claimed by alice');
  });

  it('never show a record as data: a call answered elsewhere, an account there already, any other kind in words (a try-out’s medium)', () => {
    const call = { id: 'c1', force: 'DMO', source: '999', callerNumber: '07700 900999', state: 'answered', answeredBy: 'bob', answeredAtWorkstation: 'WS-2', version: 3 };
    expect(describeTheirs({ target: { kind: 'contact', id: 'c1' }, theirs: call } as unknown as ConflictView, lookup)).toBe('The call from 07700 900999 is being answered, answered by bob at WS-2');
    const account = { id: 'omar', force: 'NBR', displayName: 'Omar', roles: ['dispatcher'], active: true, version: 1 };
    expect(describeTheirs({ target: { kind: 'operator', id: 'omar' }, theirs: account } as unknown as ConflictView, lookup)).toBe('The account omar is there already (Dispatcher)');
    for (const kind of ['marker', 'share', 'logEntry', 'something-new']) {
      expect(describeTheirs({ target: { kind, id: 'x' }, theirs: { id: 'x', secret: 'nothing to show' } } as unknown as ConflictView, lookup), kind).not.toMatch(/[{}"]|nothing to show/);
    }
    const arrangement = { force: 'DMO', typeName: 'Firearms incident', sharedWith: 'NBR', status: 'active', version: 2 };
    expect(describeTheirs({ target: { kind: 'arrangement', id: 'a' }, theirs: arrangement } as unknown as ConflictView, lookup)).toBe("The arrangement for DMO's Firearms incidents with NBR is active");
    expect(describeCommand('assignment.record', { unitId: 'NB-101', incidentId: 'x' }, lookup)).toBe('Enter NB-101’s deployment kept on paper, on an incident');
  });

  it('say of a record erased, its command’s arguments cleared with it, that it was erased, as why it lost does (issue 12’s try-out)', () => {
    const conflict = { target: { kind: 'incident', id: 'i1' }, theirs: null, args: null } as unknown as ConflictView;
    expect(describeTheirs(conflict, lookup)).toBe('the incident was erased: nothing of it is kept');
  });

  it('say of a record the force is not shown that it is not there or not shown, not that it never existed', () => {
    const conflict = { target: { kind: 'assignment', id: 'a1' }, theirs: null } as unknown as ConflictView;
    expect(describeTheirs(conflict, lookup)).toBe('the deployment is not on the server, or no longer shown to this force');
  });
});
