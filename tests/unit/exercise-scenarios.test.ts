import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetPath } from '../../node-common/app-paths';
import { loadForceConfig } from '../../node-common/force-config-file';
import { parseScenario, ScenarioFileError } from '../../node-common/scenario-file';

const config = loadForceConfig();
const exercises = assetPath('exercises');
const friday = readFileSync(join(exercises, 'friday-night.json'), 'utf8');

/** The problems a refused text gives, as `line path: message`. */
function refusal(text: string): string[] {
  try {
    parseScenario(text, 'broken.json', config);
  } catch (error) {
    if (error instanceof ScenarioFileError) return error.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('the scenario was accepted');
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('scenario files', () => {
  it('every shipped scenario validates against the demonstration force', () => {
    const files = readdirSync(exercises).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(['cad-down-night.json', 'friday-night.json', 'silent-and-storm.json']);
    for (const file of files) {
      const scenario = parseScenario(readFileSync(join(exercises, file), 'utf8'), file, config);
      expect(scenario.injects.length).toBeGreaterThan(0);
    }
  });

  it('the CAD-down scenario expresses the whole system going down', () => {
    const scenario = parseScenario(readFileSync(join(exercises, 'cad-down-night.json'), 'utf8'), 'cad-down-night.json', config);
    expect(scenario.injects).toContainEqual({ kind: 'system', at: 300, event: 'cad_down', forMinutes: 20 });
  });

  it('a field of the wrong shape is refused with its path and the line it is on', () => {
    const broken = friday.replace('"source": "101"', '"source": "112"');
    expect(refusal(broken)).toEqual([expect.stringMatching(new RegExp(`^${lineOf(broken, '"source": "112"')} injects\\[5\\]\\.source: `))]);
  });

  it('a code the force does not have is refused with its path and line', () => {
    const broken = friday.replace('"type": "FIREARMS"', '"type": "GUNS"');
    expect(refusal(broken)).toEqual([`${lineOf(broken, '"type": "GUNS"')} injects[5].expected.type: incident type "GUNS" is not in the DMO force's configuration`]);
  });

  it('a missing field is refused at the line of the object that lacks it', () => {
    const broken = friday.replace('"kind": "vehicle",\n      "at": 420,\n      "unit": "DM-13",', '"kind": "vehicle",\n      "at": 420,');
    expect(broken).not.toBe(friday);
    expect(refusal(broken)).toEqual([expect.stringMatching(new RegExp(`^${lineOf(broken, '"at": 420') - 2} injects\\[4\\]\\.unit: `))]);
  });

  it('a file that is not JSON is refused at the line of the fault', () => {
    const broken = friday.replace('"durationMinutes": 60,', '"durationMinutes": 60');
    expect(refusal(broken)[0]).toMatch(new RegExp(`^${lineOf(broken, '"start"')} : not JSON: comma expected`));
  });

  it('a duplicate of a call not yet made, and a timeline out of order, are refused', () => {
    const broken = friday.replace('"duplicateOf": "fri-fight"', '"duplicateOf": "fri-later"').replace('"at": 1200', '"at": 100');
    expect(refusal(broken)).toEqual([
      `${lineOf(broken, '"duplicateOf"')} injects[2].expected.duplicateOf: "fri-later" is neither a call earlier in the timeline nor an incident open at the start`,
      `${lineOf(broken, '"at": 100,')} injects[7].at: at 100 s, before the inject above it: keep the timeline in order`,
    ]);
  });

  it('the error says the file, the line and the path in one message for the start-up to print', () => {
    const broken = friday.replace('"unit": "DM-22"', '"unit": "DM-99"');
    expect(() => parseScenario(broken, 'exercises/broken.json', config)).toThrow(`exercises/broken.json:${lineOf(broken, '"DM-99"')} injects[7].unit: unit "DM-99" is not in the DMO force's configuration`);
  });
});
