import type { BBox, LngLat } from '../../../shared/area/geo';
import type { BoundaryKind, LandmarkCategory, LanduseClass, PlaceKind, RoadClass } from '../../../shared/area/tile-schema';

/** A polygon as GeoJSON has it (outer ring, then holes); shapes are lists of them (a MultiPolygon). */
export type Polygon = LngLat[][];
export type Shape = Polygon[];

export interface Road {
  line: LngLat[];
  name: string | null;
  class: RoadClass;
  /** The road number ("A33"). */
  ref: string | null;
}

export interface Boundary {
  kind: BoundaryKind;
  name: string;
  code: string | null;
  shape: Shape;
}

export interface PlacePoint {
  name: string;
  kind: PlaceKind;
  point: LngLat;
  population: number | null;
}

export interface Landmark {
  name: string;
  category: LandmarkCategory;
  point: LngLat;
}

export interface PostcodeUnit {
  /** As printed: "SO15 5AA". */
  postcode: string;
  point: LngLat;
  /** GSS codes of the district and ward the publisher placed it in, when the file says. */
  districtCode: string | null;
  wardCode: string | null;
}

/**
 * Everything an area is made from, whatever it came from: the import tool fills it from open data files, the
 * exercise generator invents it. The area writer turns it into tiles, a gazetteer and the manifest.
 */
export interface AreaModel {
  id: string;
  name: string;
  kind: 'exercise' | 'imported';
  fictional: boolean;
  attribution: string[];
  builtBy: string;
  roads: Road[];
  railways: LngLat[][];
  waterways: { line: LngLat[]; name: string | null }[];
  water: { shape: Shape; name: string | null }[];
  landuse: { shape: Shape; class: LanduseClass; name: string | null }[];
  buildings: Shape[];
  /** Land, where the sea matters: the map draws water everywhere else. Null: all land. */
  land: Shape[] | null;
  landmarks: Landmark[];
  places: PlacePoint[];
  boundaries: Boundary[];
  postcodes: PostcodeUnit[];
  /** The area's extent; when absent, the extent of what it holds. */
  bounds: BBox | null;
}

export function emptyModel(fields: Pick<AreaModel, 'id' | 'name' | 'kind' | 'fictional' | 'attribution' | 'builtBy'>): AreaModel {
  return { ...fields, roads: [], railways: [], waterways: [], water: [], landuse: [], buildings: [], land: null, landmarks: [], places: [], boundaries: [], postcodes: [], bounds: null };
}
