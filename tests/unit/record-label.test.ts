import { describe, expect, it } from 'vitest';
import { labelNeeds, recordLabel } from '../../shared/domain/record-label';

// How an audit answer names a record to the asking force (shared/domain/record-label.ts): by the force's own serial
// names, never another force's record, never an erased one, nothing personal.
const incident = { force: 'DMO', reference: 'DMO-2026-000123', provisionalReference: 'WS-1-0007', callerName: 'Rosalind' };

describe('a record’s name in an audit answer', () => {
  it('names an incident by its force reference, or its provisional one until the server has given one', () => {
    expect(recordLabel('incident', incident, 'DMO')).toBe('incident DMO-2026-000123');
    expect(recordLabel('incident', { ...incident, reference: null }, 'DMO')).toBe('incident WS-1-0007');
  });

  it('names a log entry, a deployment, a call and a share by their incident, with nothing personal', () => {
    expect(recordLabel('logEntry', { force: 'DMO', incidentId: 'i-1', text: 'secret words' }, 'DMO', { incident })).toBe('log entry on DMO-2026-000123');
    expect(recordLabel('assignment', { force: 'DMO', incidentId: 'i-1', unitId: 'u-1' }, 'DMO', { incident, unit: { force: 'DMO', callSign: 'PC101' } })).toBe('deployment of PC101 on DMO-2026-000123');
    const call = recordLabel('contact', { force: 'DMO', source: '999', callerNumber: '07700 900861', incidentId: 'i-1' }, 'DMO', { incident });
    expect(call).toBe('999 call on DMO-2026-000123');
    expect(recordLabel('share', { force: 'DMO', incidentId: 'i-1', sharedWith: 'NBR' }, 'DMO', { incident })).toBe('share of DMO-2026-000123 with NBR');
    expect(recordLabel('unit', { force: 'DMO', callSign: 'PC101' }, 'DMO')).toBe('unit PC101');
  });

  it('names nothing of another force, nothing erased or unknown, and no record whose incident it cannot name', () => {
    expect(recordLabel('incident', incident, 'NBR')).toBeNull();
    expect(recordLabel('incident', null, 'DMO')).toBeNull();
    expect(recordLabel('incident', undefined, 'DMO')).toBeNull();
    expect(recordLabel('logEntry', { force: 'DMO', incidentId: 'i-1' }, 'DMO', { incident: null })).toBeNull();
    expect(recordLabel('contact', { force: 'DMO', source: '999', incidentId: null }, 'DMO')).toBeNull();
    expect(recordLabel('conflict', { force: 'DMO' }, 'DMO')).toBeNull();
  });

  it('says which other records it needs: the incident a record belongs to, and a deployment’s unit', () => {
    expect(labelNeeds('assignment', { incidentId: 'i-1', unitId: 'u-1' })).toEqual({ incidentId: 'i-1', unitId: 'u-1' });
    expect(labelNeeds('incident', { incidentId: 'x' })).toEqual({ incidentId: null, unitId: null });
    expect(labelNeeds('logEntry', null)).toEqual({ incidentId: null, unitId: null });
  });
});
