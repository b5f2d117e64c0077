import { join } from 'node:path';
import { AREA_FILES } from '../../shared/area/manifest';
import { readStaticFile, type StaticFile } from '../../node-common/static-files';
import { openTileArchive, type TileArchiveReader } from './tiles/tile-archive-reader';

/** The URL path under which windows fetch area files, in both hosts (same origin, so CSP connect-src 'self'). */
export const AREA_URL_PREFIX = '/area/';

export interface AreaFiles {
  /** The file for a path below /area/ ("tiles/detail/14/8123/5450.mvt"), or null: nothing else is served. */
  read(path: string): Promise<StaticFile | null>;
  close(): Promise<void>;
}

const TILE = /^tiles\/(overview|detail)\/(\d{1,2})\/(\d{1,7})\/(\d{1,7})\.mvt$/;
const GLYPHS = /^glyphs\/[^/]+\/\d{1,5}-\d{1,5}\.pbf$/;
const SPRITE = /^sprites\/(light|dark)(@2x)?\.(json|png)$/;
const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Serves an area folder to map windows: vector tiles out of the PMTiles archives, and the glyphs and sprites its
 * style names. Only those three kinds of path are answered (the gazetteer and the rest stay with the core), and
 * file paths go through the same traversal checks as the renderer's own files.
 */
export function createAreaFiles(areaDir: string): AreaFiles {
  const archives = new Map<string, TileArchiveReader>();
  const archive = (set: 'overview' | 'detail') => {
    let reader = archives.get(set);
    if (!reader) {
      reader = openTileArchive(join(areaDir, AREA_FILES.tiles(set)));
      archives.set(set, reader);
    }
    return reader;
  };
  return {
    async read(path) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return null;
      }
      const tile = TILE.exec(path);
      if (tile) {
        const [, set, z, x, y] = tile as unknown as [string, 'overview' | 'detail', string, string, string];
        const [zoom, column, row] = [Number(z), Number(x), Number(y)];
        if (zoom > 22 || column >= 2 ** zoom || row >= 2 ** zoom) return null;
        try {
          const bytes = await archive(set).tile(zoom, column, row);
          // No tile there (open sea, empty country) is an empty tile, not an error: MapLibre draws nothing.
          return { body: Buffer.from(bytes ?? new Uint8Array()), contentType: MVT_TYPE, immutable: false };
        } catch {
          return null;
        }
      }
      if (GLYPHS.test(decoded)) return readStaticFile(join(areaDir, AREA_FILES.glyphDir), `/${path.slice('glyphs/'.length)}`);
      if (SPRITE.test(path)) return readStaticFile(join(areaDir, AREA_FILES.spriteDir), `/${path.slice('sprites/'.length)}`);
      return null;
    },
    async close() {
      await Promise.all([...archives.values()].map((reader) => reader.close()));
      archives.clear();
    },
  };
}
