import { GeoJSONVT, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature } from 'geojson';
import type { BBox, LngLat } from '../../../shared/area/geo';
import { TileArchiveWriter } from './pmtiles-writer';

/** A source layer's features; a feature's `minzoom` property keeps it out of tiles below that zoom. */
export interface TileLayerInput {
  name: string;
  features: Feature[];
}

export interface TileSetOptions {
  minZoom: number;
  maxZoom: number;
  bounds: BBox;
  center: LngLat;
  centerZoom: number;
  name: string;
  attribution: string;
}

const EXTENT = 4096;

/**
 * Cuts GeoJSON layers into vector tiles (geojson-vt, as MapLibre itself does for GeoJSON sources) for every tile
 * over the bounds, and packs them into a PMTiles archive. Only tiles over the bounds are made, so a land mask of a
 * whole country costs no more than the area it is clipped to.
 */
export function buildTileArchive(layers: TileLayerInput[], options: TileSetOptions): { archive: Buffer; tileCount: number } {
  const indexes = layers.flatMap((layer) => bucketsByMinZoom(layer, options.maxZoom));
  const writer = new TileArchiveWriter();
  for (let z = options.minZoom; z <= options.maxZoom; z++) {
    const [xMin, yMin, xMax, yMax] = tileRange(options.bounds, z);
    const active = indexes.filter((index) => index.minZoom <= z);
    if (active.length === 0) continue;
    for (let x = xMin; x <= xMax; x++) {
      for (let y = yMin; y <= yMax; y++) {
        const tile: Record<string, GeoJSONVTTile> = {};
        for (const index of active) {
          const piece = index.vt.getTile(z, x, y);
          if (!piece || piece.features.length === 0) continue;
          const existing = tile[index.layer];
          tile[index.layer] = existing ? { ...existing, features: [...existing.features, ...piece.features] } : piece;
        }
        if (Object.keys(tile).length) writer.add(z, x, y, fromGeojsonVt(tile, { version: 2, extent: EXTENT }));
      }
    }
  }
  const vectorLayers = layers.map((layer) => ({ id: layer.name, fields: fieldsOf(layer.features), minzoom: options.minZoom, maxzoom: options.maxZoom }));
  const archive = writer.finish({
    minZoom: options.minZoom,
    maxZoom: options.maxZoom,
    bounds: options.bounds,
    center: options.center,
    centerZoom: options.centerZoom,
    metadata: { name: options.name, attribution: options.attribution, vector_layers: vectorLayers, generator: 'cordon' },
  });
  return { archive, tileCount: writer.tileCount };
}

function bucketsByMinZoom(layer: TileLayerInput, maxZoom: number): { layer: string; minZoom: number; vt: GeoJSONVT }[] {
  const buckets = new Map<number, Feature[]>();
  for (const feature of layer.features) {
    const { minzoom, ...properties } = feature.properties ?? {};
    const minZoom = typeof minzoom === 'number' ? minzoom : 0;
    const list = buckets.get(minZoom) ?? [];
    list.push({ ...feature, properties });
    buckets.set(minZoom, list);
  }
  return [...buckets].map(([minZoom, features]) => ({
    layer: layer.name,
    minZoom,
    vt: new GeoJSONVT({ type: 'FeatureCollection', features }, { maxZoom, indexMaxZoom: Math.min(5, maxZoom), extent: EXTENT, buffer: 64, tolerance: 3 }),
  }));
}

/** The tiles (x and y, inclusive) covering a box at a zoom, in the XYZ scheme. */
export function tileRange(bounds: BBox, z: number): [number, number, number, number] {
  const n = 2 ** z;
  const x = (lng: number) => Math.min(n - 1, Math.max(0, Math.floor(((lng + 180) / 360) * n)));
  const y = (lat: number) => {
    const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
    return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
  };
  return [x(bounds[0]), y(bounds[3]), x(bounds[2]), y(bounds[1])];
}

function fieldsOf(features: Feature[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const feature of features.slice(0, 1000)) {
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      if (key !== 'minzoom') fields[key] = typeof value === 'number' ? 'Number' : typeof value === 'boolean' ? 'Boolean' : 'String';
    }
  }
  return fields;
}
