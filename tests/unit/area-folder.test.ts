import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyModel, type AreaModel } from '../../main/area/build/area-model';
import { writeArea } from '../../main/area/build/write-area';
import { createAreaFiles } from '../../main/area/area-files';
import { openArea } from '../../main/area/area-service';
import { AreaProblem, readAreaManifest } from '../../main/area/open-area';
import { tileRange } from '../../main/area/tiles/build-tiles';
import { createConsoleCore } from '../../main/core/console-core';
import { loadRoadNetwork, RESPONSE_KMH } from '../../main/dispatch/road-network';
import { startBrowserHost } from '../../main/hosts/browser/browser-host';
import { systemClock } from '../../shared/domain/time';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

/** A small made-up area: two streets, a pub, a postcode, a district. */
function smallModel(id = 'small-town'): AreaModel {
  const model = emptyModel({ id, name: 'Small Town', kind: 'imported', fictional: false, attribution: ['Test data'], builtBy: 'test' });
  model.roads.push(
    { line: [[-1.43, 50.92], [-1.42, 50.925]], name: 'Shirley Road', class: 'secondary', ref: 'B3041' },
    { line: [[-1.425, 50.918], [-1.425, 50.927]], name: 'Park Lane', class: 'minor', ref: null },
  );
  model.landmarks.push({ name: 'The Crown', category: 'pub', point: [-1.424, 50.922] });
  model.postcodes.push({ postcode: 'SO15 5AA', point: [-1.426, 50.921], districtCode: 'E1', wardCode: null });
  model.boundaries.push({ kind: 'district', name: 'Smallshire', code: 'E1', shape: [[[[-1.5, 50.9], [-1.5, 50.95], [-1.4, 50.95], [-1.4, 50.9], [-1.5, 50.9]]]] });
  return model;
}

let dir: ReturnType<typeof makeTempDir>;
let areaDir: string;

beforeAll(async () => {
  dir = makeTempDir();
  areaDir = join(dir.path, 'areas', 'small');
  await writeArea(smallModel(), areaDir);
});
afterAll(() => dir.remove());

describe('an area folder', () => {
  it('holds a manifest that describes it, with counts of what it holds', () => {
    const manifest = readAreaManifest(areaDir);
    expect(manifest).toMatchObject({ id: 'small-town', name: 'Small Town', attribution: ['Test data'], fonts: ['Noto Sans Regular'], sprites: ['light', 'dark'] });
    // The gazetteer also holds the postcode's sector and district: 2 + 1 + 2 + 1 + 1 entries.
    expect(manifest.counts).toEqual({ streets: 2, postcodes: 1, places: 0, landmarks: 1, boundaries: 1, gazetteerEntries: 7 });
    expect(manifest.tiles.detail?.layers).toEqual(['road', 'landmark']);
  });

  it('is replaced whole or not at all, and never replaces a folder that is not an area', async () => {
    const before = readFileSync(join(areaDir, 'area.json'), 'utf8');
    await expect(writeArea(smallModel('Not A Valid Id'), areaDir)).rejects.toThrow(/would not be valid: id/);
    expect(readFileSync(join(areaDir, 'area.json'), 'utf8')).toBe(before);
    expect(readdirSync(dirname(areaDir))).toEqual(['small']); // no half-written folder left beside it

    const documents = join(dir.path, 'documents');
    mkdirSync(documents);
    writeFileSync(join(documents, 'letter.txt'), 'dear sir');
    await expect(writeArea(smallModel(), documents)).rejects.toThrow(/not an area folder/);
    expect(existsSync(join(documents, 'letter.txt'))).toBe(true);
  });

  it('is refused with a message saying what is wrong', () => {
    expect(() => readAreaManifest(join(dir.path, 'nowhere'))).toThrow(AreaProblem);
    expect(() => readAreaManifest(join(dir.path, 'nowhere'))).toThrow(/no area at .*nowhere: it has no area.json \(make one with npm run area:import\)/);
    const broken = join(dir.path, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'area.json'), JSON.stringify({ ...readAreaManifest(areaDir) }));
    expect(() => readAreaManifest(broken)).toThrow(/incomplete: gazetteer.json.gz, tiles\/overview.pmtiles, tiles\/detail.pmtiles, roads.json.gz missing/);
    writeFileSync(join(broken, 'area.json'), JSON.stringify({ ...readAreaManifest(areaDir), format: 99 }));
    expect(() => readAreaManifest(broken)).toThrow(/format 99, this console reads format 1/);
  });
});

describe("an area's road network", () => {
  it('is written with the area, and loads as a network vehicles are routed on', () => {
    expect(readAreaManifest(areaDir).roads).toEqual({ links: 2, lengthKm: 1.9 });
    const network = loadRoadNetwork(areaDir);
    expect(network.nodeCount).toBe(4);
    // Shirley Road and Park Lane cross without a shared position (a bridge, as far as the data says): not joined.
    const route = network.route({ lat: 50.92, lon: -1.43 }, { lat: 50.925, lon: -1.42 });
    expect(route).toMatchObject({ straightLine: false, legKmh: [RESPONSE_KMH.secondary] });
  });

  it('is optional: an area written before areas carried roads still opens, and routes in straight lines', () => {
    const older = join(dir.path, 'older');
    cpSync(areaDir, older, { recursive: true });
    const { roads: _, ...manifest } = readAreaManifest(areaDir);
    writeFileSync(join(older, 'area.json'), JSON.stringify(manifest));
    rmSync(join(older, 'roads.json.gz'));
    expect(readAreaManifest(older).roads).toBeUndefined();
    const network = loadRoadNetwork(older);
    expect(network.nodeCount).toBe(0);
    expect(network.route({ lat: 50.92, lon: -1.43 }, { lat: 50.925, lon: -1.42 }).straightLine).toBe(true);
  });
});

describe('area files served to map windows', () => {
  it('serve vector tiles, glyphs and sprites, and an empty tile where there is nothing', async () => {
    const files = createAreaFiles(areaDir);
    const [x, y] = tileRange([-1.425, 50.922, -1.425, 50.922], 14);
    const tile = await files.read(`tiles/detail/14/${x}/${y}.mvt`);
    expect(tile?.contentType).toBe('application/vnd.mapbox-vector-tile');
    const decoded = new VectorTile(new PbfReader(tile!.body));
    const roads = Array.from({ length: decoded.layers.road!.length }, (_, i) => decoded.layers.road!.feature(i).properties.name);
    expect(roads.sort()).toEqual(['Park Lane', 'Shirley Road']);
    expect((await files.read('tiles/detail/14/0/0.mvt'))?.body.length).toBe(0);
    expect((await files.read('glyphs/Noto%20Sans%20Regular/0-255.pbf'))?.body.length).toBeGreaterThan(1000);
    expect(Object.keys(JSON.parse((await files.read('sprites/dark.json'))!.body.toString()))).toEqual(expect.arrayContaining(['police', 'pub', 'hospital', 'school', 'station']));
    expect((await files.read('sprites/light@2x.png'))?.body.subarray(1, 4).toString()).toBe('PNG');
    await files.close();
  });

  it('serve nothing else: not the gazetteer, not the manifest, nothing outside the folder', async () => {
    const files = createAreaFiles(areaDir);
    for (const path of ['area.json', 'gazetteer.json.gz', 'tiles/detail.pmtiles', 'sprites/../area.json', 'glyphs/..%2F..%2Fsmall/0-255.pbf', 'glyphs/%2e%2e/0-255.pbf', 'tiles/detail/99/0/0.mvt', 'tiles/detail/2/9/0.mvt', 'tiles/other/1/0/0.mvt']) {
      expect(await files.read(path), path).toBeNull();
    }
    await files.close();
  });

  it('come from the browser host under /area/, with the console CSP', async () => {
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    const core = createConsoleCore({ dataDir: join(dir.path, 'data'), workstation: 'WS-A', enrolmentKey: null, serverUrl: 'http://127.0.0.1:9', config: demoConfig, host: 'browser', clock: systemClock, log: silentLog });
    const area = createAreaFiles(areaDir);
    const host = await startBrowserHost({ core, rendererDir, port: 0, log: silentLog, area });
    try {
      const sprite = await fetch(`${host.origin}/area/sprites/light.json`);
      expect(sprite.status).toBe(200);
      expect(sprite.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(sprite.headers.get('content-security-policy')).toContain("worker-src 'self';");
      expect((await fetch(`${host.origin}/area/gazetteer.json.gz`)).status).toBe(404);
      expect((await fetch(`${host.origin}/area/%2e%2e/area.json`)).status).toBe(404);
    } finally {
      await host.close();
      await area.close();
      core.stop();
    }
  });
});

describe('the area channels of the console core', () => {
  it('give windows the area and search its gazetteer; without an area they say it is unavailable', async () => {
    const area = openArea(areaDir);
    const withArea = createConsoleCore({ dataDir: join(dir.path, 'd1'), workstation: 'WS-A', enrolmentKey: null, serverUrl: 'http://127.0.0.1:9', config: demoConfig, host: 'browser', clock: systemClock, log: silentLog, area });
    const without = createConsoleCore({ dataDir: join(dir.path, 'd2'), workstation: 'WS-B', enrolmentKey: null, serverUrl: 'http://127.0.0.1:9', config: demoConfig, host: 'browser', clock: systemClock, log: silentLog });
    try {
      expect(await withArea.dispatch('area.get', {})).toMatchObject({ ok: true, value: { id: 'small-town' } });
      const reply = await withArea.dispatch('gazetteer.search', { query: 'shirly rd' });
      expect(reply.ok && (reply.value as { results: { name: string; district: string; lines: unknown }[] }).results[0]).toMatchObject({ name: 'Shirley Road', district: 'Smallshire', lines: expect.any(Array) });
      expect(await withArea.dispatch('gazetteer.search', { query: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(await without.dispatch('area.get', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(await without.dispatch('gazetteer.search', { query: 'Shirley' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      withArea.stop();
      without.stop();
    }
  });
});
