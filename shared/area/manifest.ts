import { z } from 'zod';
import { BBox, LngLat } from './geo';

/** The version of the area folder layout; a console refuses a folder written in another. */
export const AREA_FORMAT = 1;

/** The files of an area folder, relative to it. */
export const AREA_FILES = {
  manifest: 'area.json',
  gazetteer: 'gazetteer.json.gz',
  boundaries: 'boundaries.geojson',
  report: 'import-report.json',
  roads: 'roads.json.gz',
  tiles: (set: 'overview' | 'detail') => `tiles/${set}.pmtiles`,
  glyphDir: 'glyphs',
  spriteDir: 'sprites',
} as const;

const Zoom = z.number().min(0).max(24);
const Count = z.number().int().nonnegative();

export const TileSetInfo = z.object({
  minzoom: Zoom,
  maxzoom: Zoom,
  bounds: BBox,
  /**
   * The source layers it holds. May be empty for the overview: an area imported from streets and postcodes alone
   * has no land, boundaries or places to show there, and its detail tiles draw the map.
   */
  layers: z.array(z.string().min(1)),
});
export type TileSetInfo = z.infer<typeof TileSetInfo>;

/**
 * `area.json`: what an area folder holds and how to show it. The console reads it on start; windows receive it
 * through `area.get` and build their map style from it.
 */
export const AreaManifest = z.object({
  format: z.literal(AREA_FORMAT),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().min(1).max(120),
  kind: z.enum(['exercise', 'imported']),
  /** Fictional ground (the exercise area): windows say so, so nobody mistakes it for the real force area. */
  fictional: z.boolean(),
  /** Shown on the map; the licences of open data require it. */
  attribution: z.array(z.string().min(1).max(500)).min(1).max(20),
  bounds: BBox,
  center: LngLat,
  zoom: z.object({ min: Zoom, max: Zoom, initial: Zoom }),
  tiles: z.object({ overview: TileSetInfo, detail: TileSetInfo.nullable() }),
  /** Font stacks the glyphs folder holds, the first being the one labels use. */
  fonts: z.array(z.string().min(1)).min(1),
  /** Sprite sheets in the sprites folder, by theme. */
  sprites: z.array(z.enum(['light', 'dark'])),
  counts: z.object({ streets: Count, postcodes: Count, places: Count, landmarks: Count, boundaries: Count, gazetteerEntries: Count }),
  /**
   * The road network vehicles are routed on (the roads file), with how many links and kilometres it holds.
   * Optional: areas written before it still load, and their vehicles move in straight lines.
   */
  roads: z.object({ links: Count, lengthKm: z.number().nonnegative() }).optional(),
  /**
   * The forces whose areas it holds (its boundaries of kind force that carry a code), each with the extent of its
   * streets and places: a console opens its map on its own force's part (the exercise area holds two forces).
   * Optional: an area without force boundaries opens on all it holds.
   */
  forces: z.array(z.object({ code: z.string().min(1).max(16), name: z.string().min(1).max(200), focus: BBox })).optional(),
  /** What made the folder: the generator and its seed, or the import tool and its inputs. */
  builtBy: z.string().min(1).max(2000),
});
export type AreaManifest = z.infer<typeof AreaManifest>;
