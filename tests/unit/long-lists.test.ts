import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import { rowWindow, scrollToReveal } from '../../renderer/app/row-window';
import { dueOf, queueOrder } from '../../renderer/state/console-store';
import { demoConfig } from '../fakes/fixtures';

describe('drawing only the rows in view of a long list', () => {
  const ROW = 70;

  it('draws the rows in the viewport and a margin either side, the rest as space of their height', () => {
    // 5,000 incidents, a 700 px list scrolled to row 1,000: rows 990–1,019 drawn (10 visible, 10 either side).
    const at = rowWindow(1000 * ROW, 700, ROW, 5000, 10);
    expect(at).toEqual({ first: 990, end: 1020, spaceBefore: 990 * ROW, spaceAfter: (5000 - 1020) * ROW });
    expect(at.spaceBefore + (at.end - at.first) * ROW + at.spaceAfter).toBe(5000 * ROW);
  });

  it('keeps within the list at its top and bottom, and with fewer rows than fit draws them all', () => {
    expect(rowWindow(0, 700, ROW, 5000, 10)).toMatchObject({ first: 0, end: 20, spaceBefore: 0 });
    expect(rowWindow(5000 * ROW - 700, 700, ROW, 5000, 10)).toMatchObject({ first: 4980, end: 5000, spaceAfter: 0 });
    expect(rowWindow(0, 700, ROW, 3, 10)).toEqual({ first: 0, end: 3, spaceBefore: 0, spaceAfter: 0 });
    expect(rowWindow(0, 700, ROW, 0, 10)).toEqual({ first: 0, end: 0, spaceBefore: 0, spaceAfter: 0 });
  });

  it('scrolls a chosen row into view by as little as it can, and not at all if it is in view', () => {
    expect(scrollToReveal(5, ROW, 0, 700)).toBe(0);
    expect(scrollToReveal(10, ROW, 0, 700)).toBe(11 * ROW - 700); // just below: its bottom edge comes to the bottom
    expect(scrollToReveal(3, ROW, 20 * ROW, 700)).toBe(3 * ROW); // above: its top comes to the top
    expect(scrollToReveal(4999, ROW, 0, 700)).toBe(5000 * ROW - 700); // End
  });
});

describe("the dispatcher's queue order", () => {
  const incident = (id: string, grade: string, gradedAt: string, more: Partial<IncidentView> = {}) =>
    ({ id, force: demoConfig.force.code, grade, gradedAt, createdAt: gradedAt, status: 'open', activeUnits: [], attendedAt: null, ...more }) as IncidentView;

  it('puts the open incidents waiting for a unit first, soonest due first, those without a target after, then those with units', () => {
    const queue = queueOrder(demoConfig, [
      incident('routine-old', '4', '2026-11-29T08:00:00.000Z'),
      incident('scheduled', '3', '2026-11-29T09:00:00.000Z'), // due in two days
      incident('emergency', '1', '2026-11-29T09:55:00.000Z'), // due 10:10
      incident('priority', '2', '2026-11-29T09:30:00.000Z'), // due 10:30
      incident('emergency-attended', '1', '2026-11-29T09:00:00.000Z', { activeUnits: ['DM-11'] }),
      incident('routine-new', '4', '2026-11-29T09:59:00.000Z'),
      incident('emergency-closed', '1', '2026-11-29T09:58:00.000Z', { status: 'closed' }),
    ]);
    expect(queue.map((i) => i.id)).toEqual(['emergency', 'priority', 'scheduled', 'routine-old', 'routine-new', 'emergency-attended']);
  });

  it('takes a regraded incident (a new record) at its new due time', () => {
    const waiting = incident('regraded', '3', '2026-11-29T09:00:00.000Z');
    const other = incident('priority', '2', '2026-11-29T09:30:00.000Z');
    expect(queueOrder(demoConfig, [waiting, other]).map((i) => i.id)).toEqual(['priority', 'regraded']);
    const upgraded = { ...waiting, grade: '1', gradedAt: '2026-11-29T09:50:00.000Z' };
    expect(dueOf(demoConfig, upgraded)).toBe(Date.parse('2026-11-29T10:05:00.000Z'));
    expect(queueOrder(demoConfig, [upgraded, other]).map((i) => i.id)).toEqual(['regraded', 'priority']);
  });

  it("places another force's shared incidents by their common priority among the force's own, not oldest first", () => {
    // Northbridge's incidents shared with DMO carry no grade of DMO's scheme, only a common priority: a P1 waits
    // among DMO's grade 1s (due 15 minutes from grading), a P4 among its scheduled jobs, an unknown one last.
    const shared = (id: string, commonPriority: number | null, gradedAt: string) =>
      incident(id, '', gradedAt, { force: 'NBR', sharedView: { tier: 'view', commonPriority, typeName: 'Assault' } } as Partial<IncidentView>);
    const queue = queueOrder(demoConfig, [
      shared('nbr-p4', 4, '2026-11-29T08:00:00.000Z'),
      shared('nbr-unknown', null, '2026-11-29T07:00:00.000Z'),
      incident('routine', '4', '2026-11-29T07:30:00.000Z'),
      incident('priority', '2', '2026-11-29T09:30:00.000Z'), // due 10:30
      shared('nbr-p1', 1, '2026-11-29T09:58:00.000Z'), // as DMO's grade 1: due 10:13
      incident('emergency', '1', '2026-11-29T09:55:00.000Z'), // due 10:10
    ]);
    expect(queue.map((i) => i.id)).toEqual(['emergency', 'nbr-p1', 'priority', 'nbr-p4', 'nbr-unknown', 'routine']);
  });

  it('orders two incidents due at the same time by when they were made', () => {
    const queue = queueOrder(demoConfig, [
      incident('second', '1', '2026-11-29T09:55:00.000Z', { createdAt: '2026-11-29T09:50:00.000Z' }),
      incident('first', '1', '2026-11-29T09:55:00.000Z', { createdAt: '2026-11-29T09:40:00.000Z' }),
    ]);
    expect(queue.map((i) => i.id)).toEqual(['first', 'second']);
  });
});
