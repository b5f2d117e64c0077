import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { COMMON_INCIDENT_CODES } from '../../shared/domain/common-incident-codes';
import { ForceConfig } from '../../shared/domain/force-config';
import { provisionalReferenceShownTo, type Incident } from '../../shared/domain/incident';
import { describeTypeMapping, mapIncidentType, transferredIncident, type TypeMapping } from '../../shared/domain/transfer';

// Which type an incident becomes when it is transferred to the other force: the new force's type of the same common
// code, as a dispatcher of either force would choose; where the new force has none, the nearest, said plainly.
const [dmoFiles, nbrFiles] = demonstrationForces();
const DMO = loadForceConfig(dmoFiles!.configFile);
const NBR = loadForceConfig(nbrFiles!.configFile);
const AT = '2026-12-01T10:00:00.000Z';

const mapped = (mapping: TypeMapping) => (mapping.kind === 'none' ? `${mapping.code} (kept)` : `${mapping.to.code}${mapping.kind === 'nearest' ? ' (nearest)' : ''}`);
const table = (from: ForceConfig, to: ForceConfig) => Object.fromEntries(from.incidentTypes.map((type) => [type.code, mapped(mapIncidentType(from, to, type.code))]));
type Raw = { incidentTypes: { code: string; commonCode?: string; family?: string; needs?: { skills?: string[] } }[] };
const raw = (config: ForceConfig) => structuredClone(config) as unknown as Raw & Record<string, unknown>;
const without = (config: ForceConfig, code: string): ForceConfig => ({ ...config, incidentTypes: config.incidentTypes.filter((type) => type.code !== code) });

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: '6b1f2d3e-0000-4000-8000-000000000001', force: 'DMO', reference: 'DMO-20261201-0004', provisionalReference: 'WS-DMO-P0004', type: 'FIREARMS', openingType: 'FIREARMS',
    location: { text: '12 Quarry Lane', point: null, source: 'unverified', district: null, accuracyM: null }, description: 'Man with a shotgun', callerName: 'Jo', callerNumber: '07700 900000',
    grade: '1', gradedAt: AT, pendingDowngrade: null, thrive: null, related: [], status: 'open', owner: 'dan', activeUnits: [], attendedAt: null, closingCode: null, closedAt: null,
    closedBy: null, createdAt: AT, createdBy: 'carol', createdAtWorkstation: 'WS-DMO', updatedAt: AT, version: 3, ...over,
  };
}

describe('the type a transferred incident takes', () => {
  it('is, for every DMO type, the Northbridge type a dispatcher would choose: its equivalent by common code, else the nearest', () => {
    expect(table(DMO, NBR)).toEqual({
      ASB: 'NUISANCE',
      ALARM: 'INTRUDER',
      ASSAULT: 'VIOLENCE',
      BURGLARY: 'HOUSEBREAK',
      CONCERN: 'WELFARE',
      DOMESTIC: 'DOMABUSE',
      FIREARMS: 'WEAPON',
      MISSING: 'MISPER',
      RTC: 'COLLISION',
      // Northbridge has no type of these: the nearest, for its dispatcher to confirm or change.
      SUSPICIOUS: 'NUISANCE (nearest)',
      THEFT: 'SHOPLIFT (nearest)',
    });
  });

  it('is, for every Northbridge type, the DMO type a dispatcher would choose', () => {
    expect(table(NBR, DMO)).toEqual({
      NUISANCE: 'ASB',
      DISORDER: 'ASB (nearest)',
      INTRUDER: 'ALARM',
      VIOLENCE: 'ASSAULT',
      HOUSEBREAK: 'BURGLARY',
      WELFARE: 'CONCERN',
      DOMABUSE: 'DOMESTIC',
      WEAPON: 'FIREARMS',
      MISPER: 'MISSING',
      COLLISION: 'RTC',
      CRIMDAM: 'ASB (nearest)',
      SHOPLIFT: 'THEFT (nearest)',
      FRAUD: 'THEFT (nearest)',
    });
  });

  it('keeps a firearms incident armed: DMO’s Firearms incident is Northbridge’s Weapon seen or used, with its armed crews', () => {
    const { incident: moved, type } = transferredIncident(incident(), DMO, NBR, 1, AT, 'quinn');
    expect(moved).toMatchObject({ force: 'NBR', type: 'WEAPON', grade: '1', openingType: 'FIREARMS' });
    expect(NBR.incidentTypes.find((t) => t.code === moved.type)?.needs).toMatchObject({ unitTypes: ['AFO'], skills: ['firearms'] });
    expect(describeTypeMapping(type, 'DMO', 'NBR')).toBe("type Weapon seen or used (WEAPON), NBR's equivalent of DMO's Firearms incident (FIREARMS, common code firearms)");
  });

  it('says plainly when the new force has no equivalent, what the old type asked for, and never loses what it was opened as', () => {
    // A Northbridge with no firearms type: the nearest is its assault type, and the log says a dispatcher must choose.
    const { incident: moved, type } = transferredIncident(incident(), DMO, without(NBR, 'WEAPON'), 1, AT, 'quinn');
    expect(moved).toMatchObject({ type: 'VIOLENCE', grade: '1', openingType: 'FIREARMS', origin: { force: 'DMO', openingTypeName: 'Firearms incident', openingCommonCode: 'firearms' } });
    expect(describeTypeMapping(type, 'DMO', 'NBR')).toBe(
      "type Violence against the person (VIOLENCE) for now: NBR has no type equivalent to DMO's Firearms incident (FIREARMS, common code firearms), and a dispatcher must choose its type; DMO's type asked for 2 units with firearms",
    );
    expect(describeTypeMapping(type, 'DMO', 'NBR')).not.toContain('equivalent of');
  });

  it('prefers, where there is no equivalent, a type that asks for the skills the old one did', () => {
    const armed = { ...NBR.incidentTypes.find((t) => t.code === 'WEAPON')!, code: 'ARMEDPATROL', name: 'Armed patrol request', commonCode: 'public-order' };
    const to: ForceConfig = { ...NBR, incidentTypes: [...without(NBR, 'WEAPON').incidentTypes, armed] };
    expect(mapped(mapIncidentType(DMO, to, 'FIREARMS'))).toBe('ARMEDPATROL (nearest)');
  });

  it('keeps the old code, saying so, when the new force has nothing of the code, of a nearest code or of the family', () => {
    const to: ForceConfig = { ...NBR, incidentTypes: NBR.incidentTypes.filter((t) => t.family !== 'roads') };
    const mapping = mapIncidentType(DMO, to, 'RTC');
    expect(mapping).toMatchObject({ kind: 'none', code: 'RTC' });
    expect(describeTypeMapping(mapping, 'DMO', 'NBR')).toBe("type RTC kept: NBR has no type equivalent to DMO's Road traffic collision (RTC, common code road-traffic-collision), nor one near it, and a dispatcher must choose its type; DMO's type asked for 1 unit with first aid");
  });

  it('keeps who created it, where, its provisional reference and what it opened as: the creation is the old force’s, the transfer its own event', () => {
    // An incident recorded before the opening type was kept: its type then is what it opened as.
    const old = incident({ type: 'BURGLARY', openingType: undefined });
    const { incident: moved } = transferredIncident(old, DMO, NBR, 2, AT, 'quinn');
    expect(moved).toMatchObject({ type: 'HOUSEBREAK', openingType: 'BURGLARY', createdBy: 'carol', createdAtWorkstation: 'WS-DMO', provisionalReference: 'WS-DMO-P0004', createdAt: AT });
    expect(moved.origin).toEqual({ force: 'DMO', openingTypeName: 'Burglary', openingCommonCode: 'burglary-dwelling' });
    // Back to DMO later: still opened in DMO, as a DMO Burglary.
    const back = transferredIncident(moved, NBR, DMO, 2, AT, 'quinn').incident;
    expect(back).toMatchObject({ force: 'DMO', type: 'BURGLARY', openingType: 'BURGLARY', origin: { force: 'DMO' }, createdBy: 'carol' });
  });
});

describe('a round trip between the forces', () => {
  // Issue 12 M8: mapped through the common codes twice, an incident sent to the other force and back could come home
  // as another type than it left as (DMO's Suspicious circumstances, Northbridge's Public disorder).
  it('gives every type of either force back the type it had, when the other force did not retype it', () => {
    for (const [home, away] of [[DMO, NBR], [NBR, DMO]] as const) {
      for (const type of home.incidentTypes) {
        const there = transferredIncident(incident({ force: home.force.code, type: type.code, openingType: type.code }), home, away, 2, AT, 'quinn').incident;
        const { incident: back, type: mapping } = transferredIncident(there, away, home, 2, AT, 'dan');
        expect(`${home.force.code} ${type.code} → ${back.type}`).toBe(`${home.force.code} ${type.code} → ${type.code}`);
        if (there.type !== type.code && mapping.kind === 'restored') expect(describeTypeMapping(mapping, away.force.code, home.force.code)).toContain(`again, the type it had at ${home.force.code} before`);
      }
    }
  });

  it('maps by the common code again when the other force retyped it meanwhile, and keeps every transfer in its handovers', () => {
    const there = transferredIncident(incident({ type: 'SUSPICIOUS', openingType: 'SUSPICIOUS' }), DMO, NBR, 2, AT, 'quinn').incident;
    const retyped = { ...there, type: 'HOUSEBREAK' };
    const back = transferredIncident(retyped, NBR, DMO, 2, '2026-12-01T11:00:00.000Z', 'dan').incident;
    expect(back.type).toBe('BURGLARY');
    expect(back.handovers).toEqual([
      { from: 'DMO', to: 'NBR', at: AT, acceptedBy: 'quinn', type: 'SUSPICIOUS', became: there.type },
      { from: 'NBR', to: 'DMO', at: '2026-12-01T11:00:00.000Z', acceptedBy: 'dan', type: 'HOUSEBREAK', became: 'BURGLARY' },
    ]);
  });
});

describe('the provisional reference shown beside an incident’s reference', () => {
  it('is shown only to the force whose workstation minted it, and only once the force reference names the incident', () => {
    const ours = incident();
    expect(provisionalReferenceShownTo(ours, 'DMO')).toBe('WS-DMO-P0004');
    expect(provisionalReferenceShownTo({ ...ours, reference: null }, 'DMO')).toBeNull();
    // Transferred to NBR: Northbridge's people are not shown DMO's workstation's name; DMO's view still shows it.
    const theirs = transferredIncident(ours, DMO, NBR, 1, AT, 'quinn').incident;
    expect(provisionalReferenceShownTo(theirs, 'NBR')).toBeNull();
    expect(provisionalReferenceShownTo(theirs, 'DMO')).toBe('WS-DMO-P0004');
    // A shared incident's cut comes with it blank: nothing to show, never "()".
    expect(provisionalReferenceShownTo({ ...ours, provisionalReference: '' }, 'DMO')).toBeNull();
  });
});

describe('the common codes in a force’s configuration', () => {
  it('are given by every type of both demonstration forces, from the vocabulary, each once', () => {
    for (const config of [DMO, NBR]) {
      for (const type of config.incidentTypes) expect(Object.keys(COMMON_INCIDENT_CODES)).toContain(type.commonCode);
      expect(new Set(config.incidentTypes.map((type) => type.commonCode)).size).toBe(config.incidentTypes.length);
    }
    // The vocabulary's nearest codes are codes of the vocabulary.
    for (const { nearest } of Object.values(COMMON_INCIDENT_CODES)) for (const code of nearest) expect(Object.keys(COMMON_INCIDENT_CODES)).toContain(code);
  });

  it('refuses a configuration with an unknown common code, one given to two types, or a type with none, saying which', () => {
    const unknown = raw(NBR);
    unknown.incidentTypes[7]!.commonCode = 'guns';
    expect(ForceConfig.safeParse(unknown).error?.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/^incident type WEAPON has unknown common code "guns" \(the common codes are: .*firearms/));
    const twice = raw(NBR);
    twice.incidentTypes[3]!.commonCode = 'firearms';
    expect(ForceConfig.safeParse(twice).error?.issues.map((i) => i.message)).toContain(
      'incident types VIOLENCE and WEAPON both have common code firearms: each common code may name one type of a force, so a transfer knows which is meant',
    );
    const none = raw(DMO);
    delete none.incidentTypes[0]!.commonCode;
    expect(JSON.stringify(ForceConfig.safeParse(none).error?.issues.map((i) => i.path))).toContain('["incidentTypes",0,"commonCode"]');
  });

  it('stops a server or workstation at load with the file and the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-config-'));
    try {
      const config = raw(NBR);
      config.incidentTypes[7]!.commonCode = 'guns';
      const file = join(dir, 'force.json');
      writeFileSync(file, JSON.stringify(config));
      expect(() => loadForceConfig(file)).toThrow(`force configuration ${file} is not valid: incident type WEAPON has unknown common code "guns"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
