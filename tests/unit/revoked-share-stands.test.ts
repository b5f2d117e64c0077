import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import type { ForceArea } from '../../shared/area/force-areas';
import { automaticShareId, byHandShareId, revokedByHand, type Share } from '../../shared/domain/share';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// Issue 12 M7, its border kind: a share a dispatcher revoked by hand came back when the incident changed so that an
// automatic way of sharing applied (a standing arrangement on a retype, found by a try-out; the border on a moved
// location, the same fault). The revocation stands: only a dispatcher sharing by hand shares it again.
// Two square force areas side by side on the equator, the border at longitude 1 (0.01° there is about 1,113 m).
const square = (west: number, east: number): ForceArea['shape'] => [[[[west, -1], [east, -1], [east, 1], [west, 1], [west, -1]]]];
const forceAreas: ForceArea[] = [
  { force: 'DMO', shape: square(0, 1) },
  { force: 'NBR', shape: square(1, 2) },
];
const nbr = loadForceConfig(neighbourForceConfigFile());
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], forceAreas, now: () => Date.parse('2026-11-30T10:45:00.000Z') };
const placed = (lon: number) => ({ text: `Point ${lon}`, point: { lat: 0, lon }, source: 'gazetteer' as const, district: null, accuracyM: null });

let state: RecordSet;
let seq = 0;

function decide(name: string, args: unknown): Decision {
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: ++seq, name, args, issuedAt: '2026-11-30T10:00:00.000Z', operator: 'bob', ticket: '', workstation: 'WS-DMO', schemaVersion: SCHEMA_VERSION };
  const decision = planCommand(envelope, rulesOfForce(rules, 'DMO')!).decide(state, () => 1);
  if (decision.status === 'applied') state.put(decision.changes);
  return decision;
}

const created = (lon: number): string => {
  const incidentId = randomUUID();
  expect(decide('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: placed(lon), grade: '2', firstLog: null }).status).toBe('applied');
  return incidentId;
};
const moveTo = (incidentId: string, lon: number) => expect(decide('incident.update', { incidentId, changeId: randomUUID(), fields: { location: placed(lon) } }).status).toBe('applied');

beforeEach(() => {
  state = new RecordSet();
});

describe('a share revoked by hand, and the border', () => {
  it('is not shared automatically with the force it was revoked from when its location moves to the border', () => {
    const incidentId = created(0.5);
    expect(decide('share.create', { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'view', reason: 'Suspect may be from Northbridge' }).status).toBe('applied');
    expect(decide('share.revoke', { shareId: byHandShareId(incidentId, 'NBR'), reason: 'Suspect identified locally' }).status).toBe('applied');
    moveTo(incidentId, 0.995);
    expect(state.get('share', automaticShareId(incidentId, 'NBR'))).toBeUndefined();
  });

  it('is shared automatically, as before, when nobody revoked a share of it', () => {
    const incidentId = created(0.5);
    moveTo(incidentId, 0.995);
    expect(state.get('share', automaticShareId(incidentId, 'NBR'))).toMatchObject({ how: 'automatic', revoked: null });
  });
});

describe('revokedByHand', () => {
  const share = (over: Partial<Share>): Share => ({ id: randomUUID(), force: 'DMO', incidentId: randomUUID(), sharedWith: 'NBR', tier: 'view', how: 'by_hand', reason: 'r', by: 'bob', at: '2026-11-30T10:00:00.000Z', revoked: null, version: 1, ...over });
  const revocation = { at: '2026-11-30T10:05:00.000Z', by: 'bob', reason: 'no longer needed' };

  it('finds the owner’s revocation by hand of a share with that force, of any way of sharing', () => {
    expect(revokedByHand([undefined, share({ how: 'arrangement', revoked: revocation })], 'DMO', 'NBR')).toMatchObject({ how: 'arrangement' });
  });

  it('does not count an active share, a share ended by a transfer, a former owner’s, or one with another force', () => {
    expect(revokedByHand([share({})], 'DMO', 'NBR')).toBeUndefined();
    expect(revokedByHand([share({ revoked: { ...revocation, byTransfer: randomUUID() } })], 'DMO', 'NBR')).toBeUndefined();
    expect(revokedByHand([share({ force: 'NBR', sharedWith: 'NBR', revoked: revocation })], 'DMO', 'NBR')).toBeUndefined();
    expect(revokedByHand([share({ sharedWith: 'XYZ', revoked: revocation })], 'DMO', 'NBR')).toBeUndefined();
  });
});
