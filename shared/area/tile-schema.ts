/**
 * The vector tile schema every area is written in and the map style reads: source layers and the values their
 * `kind`/`class` properties take. One place, so that the import tool, the exercise generator and the style agree.
 *
 * Two tile sets per area: `overview` (boundaries and places, zoom 0–12, over the whole area, overzoomed beyond) and
 * `detail` (streets, buildings, land use, water, landmarks, zoom 8–14, where detailed data exists).
 */
export const OVERVIEW_LAYERS = ['land', 'water', 'boundary', 'boundary_label', 'place'] as const;
export const DETAIL_LAYERS = ['landuse', 'water', 'waterway', 'building', 'railway', 'road', 'landmark'] as const;
export type OverviewLayer = (typeof OVERVIEW_LAYERS)[number];
export type DetailLayer = (typeof DETAIL_LAYERS)[number];

export const OVERVIEW_ZOOMS = { min: 0, max: 12 } as const;
export const DETAIL_ZOOMS = { min: 8, max: 14 } as const;

export const ROAD_CLASSES = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'service', 'path'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

export const LANDUSE_CLASSES = ['residential', 'commercial', 'retail', 'industrial', 'park', 'grass', 'wood', 'farmland', 'cemetery', 'school', 'hospital', 'railway', 'water'] as const;
export type LanduseClass = (typeof LANDUSE_CLASSES)[number];

export const BOUNDARY_KINDS = ['force', 'district', 'ward', 'beat'] as const;
export type BoundaryKind = (typeof BOUNDARY_KINDS)[number];

export const PLACE_KINDS = ['city', 'town', 'village', 'hamlet', 'suburb'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/**
 * Landmarks a call handler names ("outside the Red Lion", "by the station"), each drawn with an icon of the same
 * name in the area's sprites.
 */
export const LANDMARK_CATEGORIES = [
  'police',
  'fire_station',
  'hospital',
  'doctor',
  'pharmacy',
  'school',
  'college',
  'station',
  'bus_station',
  'pub',
  'supermarket',
  'shop',
  'shopping_centre',
  'place_of_worship',
  'library',
  'town_hall',
  'park',
  'other',
] as const;
export type LandmarkCategory = (typeof LANDMARK_CATEGORIES)[number];

/** How a landmark's category reads in a search result. */
export const LANDMARK_LABELS: Record<LandmarkCategory, string> = {
  police: 'Police station',
  fire_station: 'Fire station',
  hospital: 'Hospital',
  doctor: 'Doctors',
  pharmacy: 'Pharmacy',
  school: 'School',
  college: 'College',
  station: 'Railway station',
  bus_station: 'Bus station',
  pub: 'Pub',
  supermarket: 'Supermarket',
  shop: 'Shop',
  shopping_centre: 'Shopping centre',
  place_of_worship: 'Place of worship',
  library: 'Library',
  town_hall: 'Town hall',
  park: 'Park',
  other: 'Landmark',
};

export function isLandmarkCategory(value: unknown): value is LandmarkCategory {
  return typeof value === 'string' && (LANDMARK_CATEGORIES as readonly string[]).includes(value);
}
