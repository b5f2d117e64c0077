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
    expect(describeTheirs(conflict, lookup)).toBe("DMO-20261201-0004 (DMO's P2 urgent Assault) is closed (version 2)");
  });

  it('say of a record the force is not shown that it is not there or not shown, not that it never existed', () => {
    const conflict = { target: { kind: 'assignment', id: 'a1' }, theirs: null } as unknown as ConflictView;
    expect(describeTheirs(conflict, lookup)).toBe('the deployment is not on the server, or no longer shown to this force');
  });
});
