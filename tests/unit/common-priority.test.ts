import { describe, expect, it } from 'vitest';
import { byCommonPriority, commonPriority, commonPriorityIn, incidentPriority, commonPriorityProblems, describeCommonPriority } from '../../shared/domain/common-priority';
import { ForceConfig } from '../../shared/domain/force-config';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { demoConfig } from '../fakes/fixtures';

const neighbour = loadForceConfig(neighbourForceConfigFile());
const raw = (config: ForceConfig) => JSON.parse(JSON.stringify(config)) as { grades: Record<string, unknown>[] };

describe('the common priority every force grade maps to', () => {
  it("maps the demonstration force's four grades and Northbridge's five onto one scale of 1 to 5", () => {
    expect(demoConfig.grades.map((g) => [g.code, commonPriority(demoConfig, g.code)])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 4],
      ['4', 5],
    ]);
    expect(neighbour.grades.map((g) => [g.code, commonPriority(neighbour, g.code)])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['4', 4],
      ['5', 4],
    ]);
  });

  it("colours another force's shared incident by the common priority its share carries, never by reading its grade with this force's scheme", () => {
    // DMO's P1 incident held at NBR: the view tier sends no grade (''), only its common priority.
    const held = { force: 'DMO', grade: '', sharedView: { commonPriority: 1 } };
    expect(incidentPriority(neighbour, held)).toBe(1);
    // Even a grade code that means something here is another scheme's: DMO's grade 3 is P4, NBR's would be P3.
    expect(incidentPriority(neighbour, { ...held, grade: '3', sharedView: { commonPriority: 4 } })).toBe(4);
    expect(incidentPriority(neighbour, { force: 'DMO', grade: '1', sharedView: { commonPriority: null } })).toBeNull();
    // Its own incidents: its own grade's mapping.
    expect(incidentPriority(neighbour, { force: 'NBR', grade: '5' })).toBe(4);
    expect(incidentPriority(demoConfig, { force: 'DMO', grade: '3' })).toBe(4);
  });

  it("reads each incident's priority from its own force's configuration: the same grade code means different things in two forces", () => {
    const forces = new Map([demoConfig, neighbour].map((c) => [c.force.code, c]));
    expect(commonPriorityIn(forces, 'DMO', '3')).toBe(4);
    expect(commonPriorityIn(forces, 'NBR', '3')).toBe(3);
    expect(commonPriorityIn([demoConfig, neighbour], 'NBR', '5')).toBe(4);
    expect(commonPriorityIn(forces, 'DMO', '5')).toBeNull();
    expect(commonPriorityIn(forces, 'XXX', '1')).toBeNull();
  });

  it('orders both forces\' incidents by common priority, most urgent first, unknown last, keeping the order within a priority', () => {
    const forces = new Map([demoConfig, neighbour].map((c) => [c.force.code, c]));
    const incidents = [
      { ref: 'a', force: 'DMO', grade: '3' },
      { ref: 'b', force: 'NBR', grade: '3' },
      { ref: 'c', force: 'DMO', grade: '9' },
      { ref: 'd', force: 'NBR', grade: '1' },
      { ref: 'e', force: 'NBR', grade: '5' },
      { ref: 'f', force: 'DMO', grade: '2' },
    ];
    const sorted = [...incidents].sort(byCommonPriority((i) => commonPriorityIn(forces, i.force, i.grade)));
    expect(sorted.map((i) => i.ref)).toEqual(['d', 'f', 'b', 'a', 'e', 'c']);
    expect(describeCommonPriority(2)).toBe('P2 urgent');
  });

  it('is required of every grade: a configuration with a grade that gives none, or one outside 1 to 5, is refused', () => {
    const without = raw(demoConfig);
    delete without.grades[1]!.commonPriority;
    const refused = ForceConfig.safeParse(without);
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues.map((i) => i.path))).toContain('["grades",1,"commonPriority"]');
    for (const wrong of [0, 6, 2.5, '2']) {
      const config = raw(demoConfig);
      config.grades[0]!.commonPriority = wrong;
      expect(ForceConfig.safeParse(config).success).toBe(false);
    }
  });

  it('is refused where a less urgent grade maps to a more urgent priority than a grade before it', () => {
    const config = raw(neighbour);
    config.grades[3]!.commonPriority = 2; // grade 4 (Scheduled) as urgent as grade 2, after grade 3 at 3
    const refused = ForceConfig.safeParse(config);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.message)).toContain('grade 4 maps to common priority 2, more urgent than grade 3 before it (3)');
    expect(commonPriorityProblems([{ code: 'A', commonPriority: 1 }, { code: 'B', commonPriority: 1 }, { code: 'C', commonPriority: 5 }])).toEqual([]);
  });
});
