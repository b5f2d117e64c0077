import type { Feature, Geometry } from 'geojson';
import { bboxOf, bboxUnion, expandBBox, pointInMultiPolygon, type BBox, type LngLat } from '../../../shared/area/geo';
import type { BoundaryKind, LandmarkCategory, PlaceKind, RoadClass } from '../../../shared/area/tile-schema';
import type { AreaModel, Shape } from './area-model';
import { labelPoint } from './build-gazetteer';
import type { TileLayerInput } from '../tiles/build-tiles';

// The zoom from which each thing is in the tiles: a county view shows main roads and towns, a street view all.
const ROAD_MIN_ZOOM: Record<RoadClass, number> = { motorway: 8, trunk: 8, primary: 8, secondary: 9, tertiary: 10, minor: 12, service: 13, path: 14 };
const BOUNDARY_MIN_ZOOM: Record<BoundaryKind, number> = { force: 0, district: 5, ward: 10, beat: 10 };
const BOUNDARY_LABEL_MIN_ZOOM: Record<BoundaryKind, number> = { force: 4, district: 8, ward: 11, beat: 12 };
const PLACE_MIN_ZOOM: Record<PlaceKind, number> = { city: 0, town: 7, village: 10, suburb: 11, hamlet: 12 };
const MAJOR_LANDMARKS: ReadonlySet<LandmarkCategory> = new Set(['police', 'hospital', 'station', 'fire_station']);

const feature = (geometry: Geometry, properties: Record<string, string | number | boolean>): Feature => ({ type: 'Feature', geometry, properties });
const multiPolygon = (shape: Shape): Geometry => ({ type: 'MultiPolygon', coordinates: shape });
const line = (coordinates: LngLat[]): Geometry => ({ type: 'LineString', coordinates });
const point = (coordinates: LngLat): Geometry => ({ type: 'Point', coordinates });

/** Boundaries and places, over the whole area. */
export function overviewLayers(model: AreaModel): TileLayerInput[] {
  const boundaryLines: Feature[] = [];
  const boundaryLabels: Feature[] = [];
  for (const boundary of model.boundaries) {
    for (const polygon of boundary.shape) {
      for (const ring of polygon) boundaryLines.push(feature(line(ring), { kind: boundary.kind, name: boundary.name, minzoom: BOUNDARY_MIN_ZOOM[boundary.kind] }));
    }
    boundaryLabels.push(feature(point(labelPoint(boundary.shape)), { kind: boundary.kind, name: boundary.name, minzoom: BOUNDARY_LABEL_MIN_ZOOM[boundary.kind] }));
  }
  return [
    { name: 'land', features: (model.land ?? []).map((shape) => feature(multiPolygon(shape), {})) },
    { name: 'water', features: [] },
    { name: 'boundary', features: boundaryLines },
    { name: 'boundary_label', features: boundaryLabels },
    {
      name: 'place',
      features: model.places.map((place) =>
        feature(point(place.point), { name: place.name, kind: place.kind, population: place.population ?? 0, minzoom: PLACE_MIN_ZOOM[place.kind] }),
      ),
    },
  ].filter((layer) => layer.features.length > 0);
}

/** Streets, buildings, land use, water and landmarks, where the area has them. */
export function detailLayers(model: AreaModel): TileLayerInput[] {
  return [
    { name: 'landuse', features: model.landuse.map((l) => feature(multiPolygon(l.shape), { class: l.class, ...(l.name ? { name: l.name } : {}), minzoom: 10 })) },
    { name: 'water', features: model.water.map((w) => feature(multiPolygon(w.shape), { ...(w.name ? { name: w.name } : {}), minzoom: 8 })) },
    { name: 'waterway', features: model.waterways.map((w) => feature(line(w.line), { ...(w.name ? { name: w.name } : {}), minzoom: 11 })) },
    { name: 'building', features: model.buildings.map((b) => feature(multiPolygon(b), { minzoom: 13 })) },
    { name: 'railway', features: model.railways.map((r) => feature(line(r), { class: 'rail', minzoom: 9 })) },
    {
      name: 'road',
      features: model.roads.map((road) =>
        feature(line(road.line), { class: road.class, ...(road.name ? { name: road.name } : {}), ...(road.ref ? { ref: road.ref } : {}), minzoom: ROAD_MIN_ZOOM[road.class] }),
      ),
    },
    {
      name: 'landmark',
      features: model.landmarks.map((l) => feature(point(l.point), { name: l.name, category: l.category, minzoom: MAJOR_LANDMARKS.has(l.category) ? 11 : 13 })),
    },
  ].filter((layer) => layer.features.length > 0);
}

/** The extent of the detailed data (streets and the like), with a margin; null when there is none. */
export function detailBounds(model: AreaModel): BBox | null {
  const parts: (BBox | null)[] = [
    bboxOf(model.roads.flatMap((r) => r.line)),
    bboxOf(model.railways.flat()),
    bboxOf(model.waterways.flatMap((w) => w.line)),
    bboxOf(model.water.flatMap((w) => w.shape.flatMap((p) => p[0] ?? []))),
    bboxOf(model.landuse.flatMap((l) => l.shape.flatMap((p) => p[0] ?? []))),
    bboxOf(model.buildings.flatMap((b) => b.flatMap((p) => p[0] ?? []))),
    bboxOf(model.landmarks.map((l) => l.point)),
  ];
  const box = parts.reduce<BBox | null>((acc, part) => bboxUnion(acc, part), null);
  return box ? expandBBox(box, 300) : null;
}

/**
 * Each force area of the model (a boundary of kind force with a code) and the extent of the streets, landmarks and
 * postcodes inside it, with a margin: where that force's map opens. Forces with nothing detailed inside are left out.
 */
export function forceFocus(model: AreaModel): { code: string; name: string; focus: BBox }[] {
  const out: { code: string; name: string; focus: BBox }[] = [];
  // Every tenth vertex of a street is plenty for an extent, and keeps this quick on a county's roads.
  const points: LngLat[] = [...model.roads.flatMap((r) => r.line.filter((_, i) => i % 10 === 0)), ...model.landmarks.map((l) => l.point), ...model.postcodes.map((p) => p.point)];
  for (const boundary of model.boundaries) {
    if (boundary.kind !== 'force' || !boundary.code) continue;
    const inside = bboxOf(points.filter((p) => pointInMultiPolygon(p, boundary.shape)));
    if (inside) out.push({ code: boundary.code, name: boundary.name, focus: expandBBox(inside, 300) });
  }
  return out;
}

/** The area's whole extent: as given, or everything it holds. */
export function overallBounds(model: AreaModel): BBox | null {
  if (model.bounds) return model.bounds;
  const parts: (BBox | null)[] = [
    detailBounds(model),
    bboxOf(model.boundaries.flatMap((b) => b.shape.flatMap((p) => p[0] ?? []))),
    bboxOf(model.places.map((p) => p.point)),
    bboxOf(model.postcodes.map((p) => p.point)),
  ];
  return parts.reduce<BBox | null>((acc, part) => bboxUnion(acc, part), null);
}
