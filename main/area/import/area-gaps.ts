import type { AreaModel } from '../build/area-model';

/**
 * Something an imported area does without, because no input gave it: what the console then cannot do, and the
 * input that would give it. An area is made from whatever it is given; these are said, not refused.
 */
export interface AreaGap {
  /** What is missing, in a few words: "no postcodes". */
  lacks: string;
  /** What that costs the call handler and the map. */
  effect: string;
  /** The option(s) to add, as typed: "--postcodes FILE (Code-Point Open)". */
  add: string;
}

/** What the area holds no part of, each with the input that adds it; empty when nothing is missing. */
export function gapsOf(model: AreaModel): AreaGap[] {
  const gaps: AreaGap[] = [];
  const hasBoundary = (kind: string) => model.boundaries.some((b) => b.kind === kind);
  if (model.roads.length === 0) {
    gaps.push({ lacks: 'no streets', effect: 'streets cannot be searched, and the map draws no roads (vehicles drive in straight lines)', add: '--roads FILE (OS Open Roads) or --osm FILE' });
  }
  if (model.postcodes.length === 0) gaps.push({ lacks: 'no postcodes', effect: 'postcodes cannot be searched', add: '--postcodes FILE (Code-Point Open)' });
  if (model.places.length === 0) {
    gaps.push({ lacks: 'no towns or villages', effect: 'place names cannot be searched, and the overview names no places', add: '--places FILE (GeoNames) or --osm FILE' });
  }
  if (!hasBoundary('district')) {
    gaps.push({
      lacks: 'no district boundaries',
      effect: 'results carry no district to tell two places of one name apart, and the overview draws no boundaries',
      add: '--boundaries district=FILE',
    });
  }
  if (!hasBoundary('ward') && !hasBoundary('beat') && model.places.length === 0) {
    gaps.push({ lacks: 'no wards, beats or villages', effect: 'results carry no locality finer than the district', add: '--boundaries ward=FILE or --places FILE' });
  }
  if (!model.land) gaps.push({ lacks: 'no land polygons', effect: 'the map draws no coastline (everything is land)', add: '--land FILE' });
  return gaps;
}

/** "no postcodes: postcodes cannot be searched; add --postcodes FILE (Code-Point Open) to have them". */
export function describeGap(gap: AreaGap): string {
  return `${gap.lacks}: ${gap.effect}; add ${gap.add} to have them`;
}

/**
 * Whether the model holds anything with a position: without that there is no extent to draw or search, and no
 * area can be made (land polygons alone only say where the sea is).
 */
export function hasAnythingPlaced(model: AreaModel): boolean {
  return (
    model.roads.length + model.postcodes.length + model.places.length + model.boundaries.length + model.landmarks.length + model.buildings.length + model.landuse.length + model.water.length + model.waterways.length + model.railways.length >
    0
  );
}

/** The inputs that give an area something with a position, as the message that asks for one names them. */
export const PLACED_INPUTS = '--roads FILE, --postcodes FILE, --places FILE, --boundaries KIND=FILE or --osm FILE';
