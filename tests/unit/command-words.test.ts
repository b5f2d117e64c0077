import { describe, expect, it } from 'vitest';
import { commandWords, namesWithWords } from '../../shared/commands/command-words';
import { commandNames } from '../../shared/commands/registry';
import { RecordSet } from '../fakes/rules-harness';
import { unverifiedLocation } from '../../shared/domain/location';

describe('a refusal an operator reads says what was refused in words', () => {
  it('has words for every command, and none for a command that is not there', () => {
    expect([...commandNames].sort()).toEqual([...namesWithWords].sort());
  });

  it('names what the operator may not do, not the command’s name', () => {
    const state = new RecordSet();
    // tina is a trainer: she may not open a live incident.
    const refused = state.run('incident.create', { incidentId: crypto.randomUUID(), provisionalReference: 'WS-P0001', type: 'THEFT', location: unverifiedLocation('High Street'), grade: '3', firstLog: null }, 'tina');
    expect(refused).toMatchObject({ ok: false, code: 'forbidden', reason: 'tina may not create an incident' });
    expect(commandWords('incident.addLog')).toBe('write in an incident’s log');
  });
});
