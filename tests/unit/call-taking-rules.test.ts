import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareForQueue, type HandsetLocation } from '../../shared/domain/contact';
import { proposeDuplicates } from '../../shared/domain/duplicates';
import { attendanceDueAt, defaultGradeFor, gradeRank, isDowngrade } from '../../shared/domain/grading';
import { decideLocation, fromGazetteer } from '../../shared/domain/location-choice';
import { unverifiedLocation, type IncidentLocation } from '../../shared/domain/location';
import { thriveQuestionsFor, unansweredQuestions } from '../../shared/domain/thrive';
import { markersAt, type Marker } from '../../shared/domain/marker';
import { demoConfig } from '../fakes/fixtures';

const at = '2026-11-29T10:00:00.000Z';
const shirleyRoad: IncidentLocation = fromGazetteer({ name: 'Shirley Road', district: 'Freemantle', point: { lat: 50.9163, lon: -1.4255 } });
const aml: HandsetLocation = { point: { lat: 50.9165, lon: -1.4251 }, accuracyM: 18, source: 'AML', at };

function incident(overrides: Partial<{ type: string; location: IncidentLocation; createdAt: string; status: 'open' | 'closed'; callerNumber: string }> = {}) {
  return { id: randomUUID(), type: 'ASSAULT', location: shirleyRoad, createdAt: '2026-11-29T09:50:00.000Z', status: 'open' as const, callerNumber: '', ...overrides };
}

describe('grading', () => {
  it('proposes the configured default grade for each type', () => {
    expect(defaultGradeFor(demoConfig, 'DOMESTIC')).toBe('1');
    expect(defaultGradeFor(demoConfig, 'THEFT')).toBe('3');
    expect(defaultGradeFor(demoConfig, 'NOPE')).toBeNull();
  });

  it('knows a downgrade from an upgrade by the force’s order of grades', () => {
    expect(gradeRank(demoConfig, '1')).toBeLessThan(gradeRank(demoConfig, '3'));
    expect(isDowngrade(demoConfig, '1', '2')).toBe(true);
    expect(isDowngrade(demoConfig, '3', '1')).toBe(false);
    expect(isDowngrade(demoConfig, '2', '2')).toBe(false);
  });

  it('starts the attendance clock when the grade is set, by the grade’s target', () => {
    expect(attendanceDueAt(demoConfig, '1', at)).toBe('2026-11-29T10:15:00.000Z');
    expect(attendanceDueAt(demoConfig, '4', at)).toBeNull();
  });
});

describe('THRIVE prompts', () => {
  it('asks the common questions of every type, and the type’s own as well', () => {
    const theft = thriveQuestionsFor(demoConfig, 'THEFT').map((q) => q.id);
    const domestic = thriveQuestionsFor(demoConfig, 'DOMESTIC').map((q) => q.id);
    expect(theft).toContain('danger-now');
    expect(theft).not.toContain('children-present');
    expect(domestic).toEqual(expect.arrayContaining(['danger-now', 'children-present', 'previous-dv']));
    expect(new Set(thriveQuestionsFor(demoConfig, 'DOMESTIC').map((q) => q.category))).toEqual(new Set(['threat', 'harm', 'risk', 'investigation', 'vulnerability', 'engagement']));
  });

  it('says which questions are still unanswered', () => {
    const left = unansweredQuestions(demoConfig, 'THEFT', [{ questionId: 'danger-now', answer: 'no', note: '' }]);
    expect(left.map((q) => q.id)).not.toContain('danger-now');
    expect(left.length).toBe(thriveQuestionsFor(demoConfig, 'THEFT').length - 1);
  });
});

describe('duplicate proposals', () => {
  const probe = { point: { lat: 50.9164, lon: -1.4257 }, type: 'ASSAULT', callerNumber: '07700 900111', at };

  it('proposes an open incident near in space and time and of a similar type, best first, with its reasons', () => {
    const same = incident();
    const similar = incident({ type: 'DOMESTIC' });
    const other = incident({ type: 'THEFT' });
    const proposals = proposeDuplicates(probe, [other, similar, same], demoConfig);
    expect(proposals.map((p) => p.incidentId)).toEqual([same.id, similar.id]);
    expect(proposals[0]!.reasons).toEqual([expect.stringMatching(/^\d+ m away$/), '10 min ago', 'same type']);
    expect(proposals[0]!.score).toBeGreaterThan(proposals[1]!.score);
  });

  it('leaves out the far away, the long ago and the closed', () => {
    const far = incident({ location: fromGazetteer({ name: 'Portswood Road', district: 'Portswood', point: { lat: 50.93, lon: -1.39 } }) });
    const old = incident({ createdAt: '2026-11-29T06:00:00.000Z' });
    const closed = incident({ status: 'closed' });
    expect(proposeDuplicates(probe, [far, old, closed], demoConfig)).toEqual([]);
  });

  it('proposes a repeat call from the same number even with no location yet', () => {
    const earlier = incident({ callerNumber: '+44 7700 900111', location: unverifiedLocation('the flats') });
    const [proposal] = proposeDuplicates({ ...probe, point: null }, [earlier], demoConfig);
    expect(proposal).toMatchObject({ incidentId: earlier.id, reasons: expect.arrayContaining(['same caller number']) });
  });
});

describe('choosing the location', () => {
  it('never takes the handset position by itself, even with nothing typed: it is offered', () => {
    expect(decideLocation({ chosen: null, typed: '', handset: aml })).toMatchObject({ location: null, handsetOffer: { source: 'handset', accuracyM: 18 } });
  });

  it('keeps a gazetteer choice when the handset position arrives after it', () => {
    const decision = decideLocation({ chosen: shirleyRoad, typed: 'Shirley R', handset: aml });
    expect(decision.location).toBe(shirleyRoad);
    expect(decision.unverified).toBe(false);
    expect(decision.handsetOffer?.point).toEqual(aml.point);
  });

  it('saves typed text that was not found as unverified, to be followed up', () => {
    expect(decideLocation({ chosen: null, typed: '  back of the old bingo hall ', handset: null })).toEqual({
      location: unverifiedLocation('back of the old bingo hall'),
      unverified: true,
      handsetOffer: null,
    });
  });
});

describe('the contact queue and warning markers', () => {
  it('puts 999 first, then the longest waiting', () => {
    const queue = [
      { source: '101' as const, receivedAt: '2026-11-29T09:58:00.000Z' },
      { source: '999' as const, receivedAt: '2026-11-29T09:59:30.000Z' },
      { source: '999' as const, receivedAt: '2026-11-29T09:59:00.000Z' },
    ].sort(compareForQueue);
    expect(queue.map((c) => `${c.source} ${c.receivedAt.slice(11, 19)}`)).toEqual(['999 09:59:00', '999 09:59:30', '101 09:58:00']);
  });

  it('finds the active markers covering a point, nearest first', () => {
    const marker = (lat: number, radiusM: number, active = true): Marker => ({
      id: randomUUID(), force: 'DMO', point: { lat, lon: -1.4255 }, radiusM, address: 'x', warnings: ['firearms'], note: '', addedBy: 'sam', addedAt: at, active, version: 1,
    });
    const near = marker(50.9163, 50);
    const wide = marker(50.9170, 200);
    const gone = marker(50.9163, 50, false);
    const elsewhere = marker(50.95, 50);
    expect(markersAt(shirleyRoad.point!, [wide, gone, elsewhere, near])).toEqual([near, wide]);
  });
});
