import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTileArchive, tileRange } from '../../main/area/tiles/build-tiles';
import { TileArchiveWriter } from '../../main/area/tiles/pmtiles-writer';
import { openTileArchive } from '../../main/area/tiles/tile-archive-reader';
import { makeTempDir } from '../fakes/temp-dir';

let dir: ReturnType<typeof makeTempDir>;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

const header = { minZoom: 0, maxZoom: 14, bounds: [-1.5, 50.8, -1.3, 51] as [number, number, number, number], center: [-1.4, 50.9] as [number, number], centerZoom: 12, metadata: { name: 'test' } };

describe('PMTiles archives we write', () => {
  it('are read back tile for tile by the pmtiles reader, with absent tiles absent', async () => {
    const writer = new TileArchiveWriter();
    writer.add(14, 8100, 5450, Uint8Array.from([1, 2, 3]));
    writer.add(14, 8101, 5450, Uint8Array.from([4, 5]));
    writer.add(3, 3, 2, Uint8Array.from([9]));
    const file = join(dir.path, 'a.pmtiles');
    writeFileSync(file, writer.finish(header));
    const reader = openTileArchive(file);
    expect(await reader.tile(14, 8100, 5450)).toEqual(Uint8Array.from([1, 2, 3]));
    expect(await reader.tile(14, 8101, 5450)).toEqual(Uint8Array.from([4, 5]));
    expect(await reader.tile(3, 3, 2)).toEqual(Uint8Array.from([9]));
    expect(await reader.tile(14, 8102, 5450)).toBeNull();
    expect(await reader.metadata()).toEqual({ name: 'test' });
    await reader.close();
  });

  it('store identical tiles once, and stay readable when the directory needs leaves', async () => {
    const writer = new TileArchiveWriter();
    // 12,000 tiles scattered over zoom 14: far more entries than a 16 KiB root directory holds. Every third tile
    // has the same content.
    const at = (i: number) => [(i * 7919) % 16384, (i * 104729) % 16384] as const;
    const content = (i: number) => (i % 3 === 0 ? Uint8Array.from([7, 7]) : Uint8Array.from([i & 255, (i >> 8) & 255, 1]));
    for (let i = 0; i < 12000; i++) writer.add(14, ...at(i), content(i));
    const archive = writer.finish(header);
    const file = join(dir.path, 'big.pmtiles');
    writeFileSync(file, archive);
    expect(Number(archive.readBigUInt64LE(48))).toBeGreaterThan(0); // leaf directories' length
    expect(Number(archive.readBigUInt64LE(88))).toBe(8001); // distinct tile contents: 8,000 + the shared one
    const reader = openTileArchive(file);
    for (const i of [0, 1, 2, 2999, 11998, 11999]) expect(await reader.tile(14, ...at(i)), `tile ${i}`).toEqual(content(i));
    expect(await reader.tile(14, 1, 1)).toBeNull();
    await reader.close();
  });
});

describe('vector tiles from GeoJSON', () => {
  it('hold each layer with its properties, and leave a feature out below its minzoom', async () => {
    const road = { type: 'Feature' as const, properties: { class: 'minor', name: 'Shirley Road', minzoom: 12 }, geometry: { type: 'LineString' as const, coordinates: [[-1.43, 50.92], [-1.42, 50.925]] } };
    const place = { type: 'Feature' as const, properties: { name: 'Shirley', kind: 'suburb' }, geometry: { type: 'Point' as const, coordinates: [-1.425, 50.922] } };
    const { archive, tileCount } = buildTileArchive(
      [
        { name: 'road', features: [road] },
        { name: 'place', features: [place] },
      ],
      { minZoom: 10, maxZoom: 14, bounds: [-1.45, 50.91, -1.41, 50.93], center: [-1.425, 50.92], centerZoom: 13, name: 't', attribution: 'a' },
    );
    expect(tileCount).toBeGreaterThan(5);
    const file = join(dir.path, 't.pmtiles');
    writeFileSync(file, archive);
    const reader = openTileArchive(file);
    const decode = async (z: number) => {
      const [x, y] = tileRange([-1.425, 50.922, -1.425, 50.922], z);
      const bytes = await reader.tile(z, x, y);
      return new VectorTile(new PbfReader(bytes!));
    };
    const z14 = await decode(14);
    expect(z14.layers.road!.feature(0).properties).toEqual({ class: 'minor', name: 'Shirley Road' });
    expect(z14.layers.place!.feature(0).properties).toMatchObject({ name: 'Shirley' });
    const z11 = await decode(11);
    expect(z11.layers.road).toBeUndefined();
    expect(z11.layers.place).toBeDefined();
    await reader.close();
  });
});
