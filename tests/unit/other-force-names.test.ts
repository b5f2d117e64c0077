import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// Issue 12, M10 (a try-out's finding): NBR's crafted account commands naming DMO's dan were answered "no operator
// named dan at force NBR, and the name may not be used here", an unknown name with the role refusal: the answers told
// which names DMO has. The issuer's role is checked first, and another force's name is answered as a name no account
// holds (an addition is told only that the name is taken: names are one namespace on the server).
const nbr = loadForceConfig(neighbourForceConfigFile());
const AT = '2026-11-30T10:00:00.000Z';
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.parse(AT) };

let state: RecordSet;

beforeEach(() => {
  state = new RecordSet();
  state.put([
    { kind: 'operator', id: 'nbadmin', doc: { id: 'nbadmin', force: 'NBR', displayName: 'Northbridge administrator', roles: ['admin'], active: true, version: 1 } },
    { kind: 'operator', id: 'priya', doc: { id: 'priya', force: 'NBR', displayName: 'Priya Patel', roles: ['supervisor', 'dispatcher', 'call_handler'], active: true, version: 1 } },
    { kind: 'operator', id: 'dan', doc: { id: 'dan', force: 'DMO', displayName: 'Dan Dixon', roles: ['dispatcher'], active: true, version: 1 } },
  ]);
});

/** An account command of NBR's, decided by the server; nothing kept. */
function decideForNbr(operator: string, name: string, args: unknown): Decision {
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: 'c-nbr', clientSeq: 1, name, args, issuedAt: AT, operator, ticket: '', workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION };
  return planCommand(envelope, rulesOfForce(rules, 'NBR')!).decide(state, () => 1);
}

/** What a workstation can observe of a decision, with the name asked about (the only difference) taken out. */
function observed(decision: Decision, name: string): unknown {
  const seen = JSON.parse(JSON.stringify(decision).replaceAll(`"${name}"`, '"<name>"').replaceAll(` ${name} `, ' <name> ').replaceAll(` ${name}'`, ' <name>\'')) as Decision;
  return {
    status: seen.status,
    ...(seen.status === 'rejected' ? { code: seen.code, reason: seen.reason } : {}),
    changes: seen.changes.map((change) => {
      const { id: _id, args: _args, commandId: _commandId, detectedAt: _at, refusedAt: _refused, ...doc } = change.doc as unknown as Record<string, unknown>;
      return { kind: change.kind, doc };
    }),
  };
}

const ACCOUNT_COMMANDS: [string, (name: string) => unknown][] = [
  ['operator.setRoles', (name) => ({ name, roles: ['call_handler'], operatorVersion: 1 })],
  ['operator.setActive', (name) => ({ name, active: false, operatorVersion: 1 })],
];

describe('an account command naming another force’s operator, and a name no account holds', () => {
  it.each(ACCOUNT_COMMANDS)('%s from NBR’s administrator: the same answer, the same records, nothing of DMO’s', (name, args) => {
    const theirs = observed(decideForNbr('nbadmin', name, args('dan')), 'dan');
    const nobody = observed(decideForNbr('nbadmin', name, args('zed')), 'zed');
    expect(theirs).toEqual(nobody);
    expect(theirs).toMatchObject({ status: 'rejected', code: 'conflict', reason: 'the operator <name> does not exist (if it was made offline, the command that made it was refused)' });
    expect(JSON.stringify(theirs)).not.toMatch(/DMO|Dan Dixon/);
  });

  it.each(ACCOUNT_COMMANDS)('%s from an NBR operator who is no administrator: refused for the role first, whatever the name', (name, args) => {
    for (const named of ['dan', 'zed', 'nbadmin']) {
      expect(decideForNbr('priya', name, args(named))).toMatchObject({ status: 'rejected', code: 'forbidden', reason: expect.stringMatching(/^priya may not /) });
    }
  });

  it('operator.add: the role is checked first; NBR’s administrator is told only that DMO’s name is taken', () => {
    const add = (operator: string, name: string) => decideForNbr(operator, 'operator.add', { name, displayName: 'Someone', roles: ['dispatcher'] });
    expect(add('priya', 'dan')).toMatchObject({ status: 'rejected', code: 'forbidden', reason: expect.stringMatching(/^priya may not /) });
    const taken = add('nbadmin', 'dan');
    expect(taken).toMatchObject({ status: 'rejected', code: 'invalid', reason: 'the name dan is taken: choose another name' });
    expect(JSON.stringify(taken)).not.toMatch(/DMO|Dan Dixon/);
    expect(add('nbadmin', 'zed').status).toBe('applied');
  });
});
