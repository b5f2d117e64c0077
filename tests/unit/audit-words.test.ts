import { describe, expect, it } from 'vitest';
import { entryDetail, incidentQuestion, recordWords } from '../../renderer/features/audit/audit-words';
import { erasureDrafts } from '../../server/audit/erasure-audit';
import { wallClock } from '../../shared/domain/wall-clock';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';

// How the audit window words an answer (renderer/features/audit/audit-words.ts): an erasure in words, not JSON;
// a record by its name where the answer gives one; an incident asked about by its id or its reference.
const wall = wallClock('Europe/London');
const INCIDENT = '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f';
const LOG = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const act = { by: 'admin', workstation: 'WS-ADMIN', clientId: 'c-1', force: 'DMO', at: '2026-11-30T09:00:00.000Z', reason: 'Retention period of 7 years ended' };

function asView(draft: ReturnType<typeof erasureDrafts>[number], seq: number): AuditEntryView {
  const { recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after } = draft;
  return { seq, recordedAt, issuedAt, operator, workstation, force, command, kind, recordKind, recordId, field, before, after };
}

describe('an erasure entry in the audit window', () => {
  const [target, withIt] = erasureDrafts(
    act,
    [
      { kind: 'incident', id: INCIDENT },
      { kind: 'logEntry', id: LOG },
      { kind: 'assignment', id: 'a-1' },
    ],
    ['DMO-2026-000123', 'WS-1-0007'],
  ).map(asView);

  it('on the record erased says who erased it, why, and how many records went with it, with no JSON', () => {
    const words = entryDetail(target!, wall);
    expect(words).toBe('erased by admin; reason: Retention period of 7 years ended; 2 other records (log entries, deployments, calls…) erased with it');
    expect(words).not.toMatch(/[{}"]/);
  });

  it('on a record that went with it names the incident by its reference', () => {
    expect(entryDetail(withIt!, wall)).toBe('erased by admin with the incident DMO-2026-000123; reason: Retention period of 7 years ended');
  });

  it('a record erased alone says nothing else went with it; one written before references were kept falls back to the id', () => {
    const [alone] = erasureDrafts(act, [{ kind: 'contact', id: 'c-9' }]).map(asView);
    expect(entryDetail(alone!, wall)).toBe('erased by admin; reason: Retention period of 7 years ended; nothing else erased with it');
    const older = { ...withIt!, after: JSON.stringify({ reason: 'old', with: { kind: 'incident', id: INCIDENT } }) };
    expect(entryDetail(older, wall)).toBe(`erased by admin with the incident ${INCIDENT}; reason: old`);
  });
});

describe('the record an entry is about', () => {
  const entry = { recordKind: 'incident', recordId: INCIDENT };

  it('is named by the answer’s label where it has one', () => {
    expect(recordWords(entry, { [`incident:${INCIDENT}`]: 'incident DMO-2026-000123' }, { about: 'disclosures' }, [])).toBe('incident DMO-2026-000123');
  });

  it('is the reference asked about for the incident that reference found, erased or not, and kind and id otherwise', () => {
    const found = [{ recordKind: 'incident', recordId: INCIDENT }];
    expect(recordWords(entry, {}, { about: 'reference', reference: 'DMO-2026-000123' }, found)).toBe('incident DMO-2026-000123');
    expect(recordWords({ recordKind: 'logEntry', recordId: LOG }, {}, { about: 'reference', reference: 'DMO-2026-000123' }, found)).toBe(`logEntry ${LOG}`);
    expect(recordWords(entry, {}, { about: 'disclosures' }, [])).toBe(`incident ${INCIDENT}`);
  });
});

describe('the incident field', () => {
  it('asks by id when given an incident id, and by reference otherwise', () => {
    expect(incidentQuestion(` ${INCIDENT.toUpperCase()} `)).toEqual({ about: 'record', recordKind: 'incident', recordId: INCIDENT });
    expect(incidentQuestion(' DMO-2026-000123 ')).toEqual({ about: 'reference', reference: 'DMO-2026-000123' });
    expect(incidentQuestion('   ')).toBeNull();
  });
});
