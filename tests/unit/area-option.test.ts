import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../node-common/app-paths';
import { parseConsoleOptions } from '../../launch/console-options';
import { startWorkstation } from '../../launch/start-workstation';
import { silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

describe('choosing the area a workstation shows', () => {
  it('is the generated exercise area unless --area names another folder', () => {
    expect(parseConsoleOptions([])).toMatchObject({ areaDir: join(appRoot(), 'dist', 'areas', 'exercise') });
    expect(parseConsoleOptions(['--area', 'maps/hampshire'])).toMatchObject({ areaDir: resolve('maps/hampshire') });
  });

  it('stops the start with a message when the folder is not an area', async () => {
    const dir = makeTempDir();
    try {
      const settings = { serverUrl: 'http://127.0.0.1:9', workstation: 'WS-A', operator: 'alice', enrolmentKey: null, dataDir: dir.path, forceConfigFile: undefined, areaDir: join(dir.path, 'no-such-area') };
      await expect(startWorkstation(settings, 'browser', silentLog)).rejects.toThrow(/no area at .*no-such-area: it has no area.json \(make one with npm run area:import\)/);
    } finally {
      dir.remove();
    }
  });
});
