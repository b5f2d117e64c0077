import { describe, expect, it } from 'vitest';
import { parseConsoleOptions, type ConsoleOptions } from '../../launch/console-options';
import { loadCallScript } from '../../main/adapters/telephony/simulated-telephony';
import { defaultAreaDir } from '../../main/area/open-area';
import { loadForceAreas } from '../../node-common/force-areas-file';
import { demonstrationForces } from '../../node-common/force-config-file';
import { forceAreaAt } from '../../shared/area/force-areas';

const SERVER = ['--server', 'http://127.0.0.1:4100'];
const callsOf = (argv: string[]) => (parseConsoleOptions(argv) as ConsoleOptions).callsFile;
const [dmo, nbr] = demonstrationForces();

describe('the calls a demonstration workstation plays', () => {
  it('are its own force’s on its own, none against a server unless --calls demo (or a file) asks for them', () => {
    expect(callsOf([])).toBe(dmo!.callsFile);
    expect(callsOf(['--force', 'NBR'])).toBe(nbr!.callsFile);
    expect(callsOf(SERVER)).toBeNull();
    expect(callsOf([...SERVER, '--force', 'NBR'])).toBeNull();
    // The two-forces quick start (README): each workstation against the one server, each with its force's calls.
    expect(callsOf([...SERVER, '--calls', 'demo'])).toBe(dmo!.callsFile);
    expect(callsOf([...SERVER, '--force', 'NBR', '--calls', 'demo'])).toBe(nbr!.callsFile);
    expect(callsOf(['--force', 'NBR', '--calls', 'none'])).toBeNull();
  });

  it('ring from each force’s own area, where its handset positions are given', () => {
    const areas = loadForceAreas(defaultAreaDir());
    for (const force of [dmo!, nbr!]) {
      const script = loadCallScript(force.callsFile);
      expect(script.calls.length).toBeGreaterThan(3);
      for (const call of script.calls) {
        if (call.handset?.source !== 'AML') continue;
        expect(forceAreaAt([call.handset.point.lon, call.handset.point.lat], areas), `${call.id} of ${force.code}`).toMatchObject({ force: force.code });
      }
    }
  });
});
