import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCallScript } from '../../main/adapters/telephony/simulated-telephony';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { strayFields } from '../../shared/validation';
import { makeTempDir } from '../fakes/temp-dir';

// A force's configuration is written by people: a misspelt field read as absent would give a grade its default
// target, or a type its default grade, without a word. Every field of the file must be one the configuration has.
describe('a force configuration file', () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => dir?.remove());

  const written = (edit: (config: Record<string, unknown> & { grades: Record<string, unknown>[]; incidentTypes: Record<string, unknown>[] }) => void) => {
    dir = makeTempDir();
    const config = JSON.parse(readFileSync(demonstrationForces()[0]!.configFile, 'utf8'));
    edit(config);
    const file = join(dir.path, 'force.json');
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('as shipped, for both demonstration forces, has no field the configuration does not know', () => {
    for (const force of demonstrationForces()) expect(loadForceConfig(force.configFile).force.code).toBe(force.code);
  });

  it('with a misspelt field is refused at start, naming the field by its path, where before it was read as absent', () => {
    // An optional field misspelt: the grade's warning would have come at the default, a fifth of the target.
    const grade = written((config) => (config.grades[0]!.warnBeforeMinute = 5));
    expect(() => loadForceConfig(grade)).toThrow(/grades\.0\.warnBeforeMinute: unknown field/);
    const type = written((config) => (config.incidentTypes[2]!.defualtGrade = '1'));
    expect(() => loadForceConfig(type)).toThrow(`force configuration ${type} is not valid: incidentTypes.2.defualtGrade: unknown field (misspelt, or not a field of this file)`);
    const top = written((config) => (config.sharring = { borderMetres: 500, tier: 'view' }));
    expect(() => loadForceConfig(top)).toThrow(/: sharring: unknown field/);
  });
});

describe('a call script', () => {
  it('with a misspelt field is refused, naming it: read as absent, a call would ring with no handset position', () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'calls.json');
      writeFileSync(file, JSON.stringify({ calls: [{ id: 'fight', at: 2, source: '999', callerNumber: '07700 900101', handest: { point: { lat: 53.9, lon: 1.75 }, accuracyM: 14, source: 'AML', after: 3 } }] }));
      expect(() => loadCallScript(file)).toThrow(`call script ${file} is not valid: calls.0.handest: unknown field (misspelt, or not a field of this file)`);
      for (const force of demonstrationForces()) expect(loadCallScript(force.callsFile).calls.length).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  });
});

describe('strayFields', () => {
  it('names the keys of the input that the parsed output lacks, through objects and arrays, and nothing else', () => {
    expect(strayFields({ a: 1, b: { c: 2, d: 3 }, e: [{ f: 1 }, { g: 2 }] }, { a: 1, b: { c: 2 }, e: [{ f: 1 }, {}], h: 'a default' })).toEqual(['b.d', 'e.1.g']);
    expect(strayFields({ a: null, b: 'text', c: [1, 2] }, { a: null, b: 'text', c: [1, 2] })).toEqual([]);
  });
});
