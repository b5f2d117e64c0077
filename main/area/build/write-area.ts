import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bboxCentre, lineLengthMetres, padBBox, roundBBox, type BBox } from '../../../shared/area/geo';
import { AREA_FILES, AREA_FORMAT, AreaManifest } from '../../../shared/area/manifest';
import { ROADS_FORMAT, toStoredRoad, type StoredRoads } from '../../../shared/area/roads';
import { DETAIL_ZOOMS, OVERVIEW_ZOOMS } from '../../../shared/area/tile-schema';
import { GAZETTEER_FORMAT, toStored, type StoredGazetteer } from '../../../shared/gazetteer/entry';
import { describeIssues } from '../../../shared/validation';
import { buildTileArchive } from '../tiles/build-tiles';
import type { AreaModel } from './area-model';
import { buildGazetteer } from './build-gazetteer';
import { copyGlyphs, writeSprites } from './map-assets';
import { detailBounds, detailLayers, forceFocus, overallBounds, overviewLayers } from './model-tiles';

/** Something wrong with an input, reported with where it is; the rest of the input is still used. */
export interface ImportWarning {
  file: string;
  line: number | null;
  message: string;
}

export interface WrittenArea {
  dir: string;
  manifest: AreaManifest;
  tiles: { overview: number; detail: number };
}

/** The folder cannot be written as asked (not an area folder): said as it is, nothing written. */
export class AreaFolderRefused extends Error {
  override name = 'AreaFolderRefused';
}

/**
 * Writes an area folder from a model: tiles, glyphs, sprites, gazetteer, boundaries, the road network for routing
 * vehicles, manifest and the import report (with the warnings, and `notes` on what the area does without).
 * Everything is written to a hidden sibling folder first and renamed into place at the end, so a console never
 * finds a half-written area, and a failed write leaves the previous area as it was. The overview tile set is
 * written even when the model has nothing for it (no land, boundaries or places): empty, with no layers, so the
 * detail tiles alone draw the map.
 */
export async function writeArea(model: AreaModel, outDir: string, warnings: ImportWarning[] = [], notes: string[] = []): Promise<WrittenArea> {
  const target = resolve(outDir);
  refuseToClobber(target);
  const bounds = overallBounds(model);
  if (!bounds) throw new Error('nothing to make an area from: no streets, boundaries, places or postcodes were read');
  const detail = detailBounds(model);

  mkdirSync(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(join(staging, 'tiles'), { recursive: true });
  try {
    const { entries, counts } = buildGazetteer(model);
    const attribution = model.attribution.join(' · ');
    const focus = detail ?? bounds;
    const center = bboxCentre(focus);
    const initialZoom = fitZoom(focus);

    // The overview reaches as far as the map may be panned (see padBBox), so land and boundaries never stop short.
    const overviewBounds = padBBox(bounds);
    const overview = buildTileArchive(overviewLayers(model), { minZoom: OVERVIEW_ZOOMS.min, maxZoom: OVERVIEW_ZOOMS.max, bounds: overviewBounds, center, centerZoom: initialZoom, name: `${model.name} overview`, attribution });
    writeFileSync(join(staging, AREA_FILES.tiles('overview')), overview.archive);
    const detailTiles = detail
      ? buildTileArchive(detailLayers(model), { minZoom: DETAIL_ZOOMS.min, maxZoom: DETAIL_ZOOMS.max, bounds: detail, center, centerZoom: initialZoom, name: `${model.name} detail`, attribution })
      : null;
    if (detailTiles) writeFileSync(join(staging, AREA_FILES.tiles('detail')), detailTiles.archive);

    const gazetteer: StoredGazetteer = { format: GAZETTEER_FORMAT, entries: entries.map(toStored) };
    writeFileSync(join(staging, AREA_FILES.gazetteer), gzipSync(JSON.stringify(gazetteer), { level: 6 }));
    writeFileSync(
      join(staging, AREA_FILES.boundaries),
      JSON.stringify({
        type: 'FeatureCollection',
        features: model.boundaries.map((b) => ({ type: 'Feature', properties: { kind: b.kind, name: b.name, code: b.code }, geometry: { type: 'MultiPolygon', coordinates: b.shape } })),
      }),
    );
    const roads: StoredRoads = { format: ROADS_FORMAT, roads: model.roads.map(toStoredRoad) };
    writeFileSync(join(staging, AREA_FILES.roads), gzipSync(JSON.stringify(roads), { level: 6 }));
    const roadKm = model.roads.reduce((sum, road) => sum + lineLengthMetres(road.line), 0) / 1000;
    const forces = forceFocus(model).map((f) => ({ ...f, focus: roundBBox(f.focus) }));
    const fonts = copyGlyphs(staging);
    const sprites = await writeSprites(staging);

    const manifest = AreaManifest.safeParse({
      format: AREA_FORMAT,
      id: model.id,
      name: model.name,
      kind: model.kind,
      fictional: model.fictional,
      attribution: model.attribution,
      bounds,
      center,
      zoom: { min: 0, max: 19, initial: initialZoom },
      tiles: {
        overview: { minzoom: OVERVIEW_ZOOMS.min, maxzoom: OVERVIEW_ZOOMS.max, bounds: overviewBounds, layers: overviewLayers(model).map((l) => l.name) },
        detail: detail ? { minzoom: DETAIL_ZOOMS.min, maxzoom: DETAIL_ZOOMS.max, bounds: detail, layers: detailLayers(model).map((l) => l.name) } : null,
      },
      fonts,
      sprites,
      counts: { ...counts, gazetteerEntries: entries.length },
      roads: { links: roads.roads.length, lengthKm: Math.round(roadKm * 10) / 10 },
      ...(forces.length ? { forces } : {}),
      builtBy: model.builtBy,
    });
    if (!manifest.success) throw new Error(`the area would not be valid: ${describeIssues(manifest.error)}`);
    writeFileSync(join(staging, AREA_FILES.manifest), `${JSON.stringify(manifest.data, null, 2)}\n`);
    writeFileSync(join(staging, AREA_FILES.report), `${JSON.stringify({ builtBy: model.builtBy, counts: manifest.data.counts, warnings, notes }, null, 2)}\n`);

    swapInto(staging, target);
    return { dir: target, manifest: manifest.data, tiles: { overview: overview.tileCount, detail: detailTiles?.tileCount ?? 0 } };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** An existing folder is replaced only if it is an area (or empty): never someone's documents by a typo. */
function refuseToClobber(target: string): void {
  if (!existsSync(target)) return;
  const contents = readdirSync(target);
  if (contents.length > 0 && !contents.includes(AREA_FILES.manifest)) {
    throw new AreaFolderRefused(`will not replace ${target}: it is not empty and holds no ${AREA_FILES.manifest}, so it is not an area folder`);
  }
}

function swapInto(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const old = `${staging}.old`;
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/** The zoom at which a box about fills a 1,000-pixel view. */
function fitZoom(box: BBox): number {
  const width = Math.max(1e-6, box[2] - box[0]);
  const height = Math.max(1e-6, (box[3] - box[1]) / Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180));
  const zoom = Math.log2(((1000 / 256) * 360) / Math.max(width, height));
  return Math.max(3, Math.min(15, Math.round(zoom * 10) / 10));
}
