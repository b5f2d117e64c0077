import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultAreaDir } from '../../main/area/open-area';
import { fakeElectron } from '../fakes/fake-electron';
import { makeTempDir } from '../fakes/temp-dir';

vi.mock('electron', async () => (await import('../fakes/fake-electron')).fakeElectron);

const { registerAppScheme, startElectronShell } = await import('../../main/hosts/electron/electron-shell');

const dir = makeTempDir();
const get = async (url: string) => (await fakeElectron.protocol.handlers.get('app')!({ url })) as Response;

beforeAll(async () => {
  const rendererDir = join(dir.path, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  registerAppScheme();
  // The exercise area the build generates (the test setup builds first).
  await startElectronShell(
    { serverUrl: null, workstation: 'WS-E', operator: 'erin', enrolmentKey: null, dataDir: join(dir.path, 'data'), forceConfigFile: undefined, areaDir: defaultAreaDir() },
    { preload: '/app/preload.cjs', coreProcess: '/app/core-process.cjs', rendererDir },
  );
});
afterAll(() => dir.remove());

describe('the Electron host serving the area', () => {
  it('serves tiles, glyphs and sprites under app://cordon/area/, with the console CSP, as the browser host does', async () => {
    const sprite = await get('app://cordon/area/sprites/dark@2x.json');
    expect(sprite.status).toBe(200);
    expect(sprite.headers.get('content-security-policy')).toContain("worker-src 'self'");
    expect(Object.keys((await sprite.json()) as object)).toContain('police');
    const glyphs = await get('app://cordon/area/glyphs/Noto%20Sans%20Regular/0-255.pbf');
    expect((await glyphs.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const tile = await get('app://cordon/area/tiles/overview/0/0/0.mvt');
    expect(tile.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });

  it('serves nothing else of the area folder', async () => {
    for (const path of ['area.json', 'gazetteer.json.gz', 'tiles/detail.pmtiles', '..%2fexercise.stamp']) expect((await get(`app://cordon/area/${path}`)).status, path).toBe(404);
  });

  it('passes the area to the console core with the other settings', () => {
    expect(fakeElectron.utilityProcess.forked[0]?.posted[0]).toMatchObject({ type: 'start', settings: { areaDir: defaultAreaDir() } });
  });
});
