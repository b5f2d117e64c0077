import { LANDMARK_LABELS, isLandmarkCategory } from '../../../shared/area/tile-schema';
import type { GazetteerResult } from '../../../shared/gazetteer/entry';

const KIND_LABELS: Record<GazetteerResult['kind'], string> = {
  street: 'Street',
  postcode: 'Postcode',
  'postcode-sector': 'Postcode sector',
  'postcode-district': 'Postcode district',
  place: 'Place',
  landmark: 'Landmark',
  district: 'District',
  ward: 'Ward',
  beat: 'Beat',
  force: 'Force area',
};

/** What kind of thing a result is, in words: "Street A33", "Police station", "Town", "Postcode sector". */
export function kindLabel(result: GazetteerResult): string {
  if (result.kind === 'landmark' && isLandmarkCategory(result.category)) return LANDMARK_LABELS[result.category];
  if (result.kind === 'place' && result.category) return result.category[0]!.toUpperCase() + result.category.slice(1);
  if (result.kind === 'street' && result.category) return `Street, ${result.category}`;
  return KIND_LABELS[result.kind];
}

/** Where it is, finest first: "Freemantle, Southampton". This is what tells two places of one name apart. */
export function whereLabel(result: GazetteerResult): string {
  return [result.locality, result.district].filter((part, i, all): part is string => !!part && all.indexOf(part) === i).join(', ');
}

/** One line for a result, as announced and as put in the search box once chosen. */
export function resultSummary(result: GazetteerResult): string {
  const where = whereLabel(result);
  return where ? `${result.name}, ${where}` : result.name;
}

/**
 * What a search found, as the status line announces it. A postcode found only by reading look-alike characters
 * as the format needs is asked about, never taken for what was typed: "No postcode “S015 5AA”. Did you mean
 * SO15 5AA? 1 location found".
 */
export function describeFound(typed: string, found: readonly GazetteerResult[]): string {
  if (found.length === 0) return `No location matches “${typed}”`;
  const count = `${found.length} ${found.length === 1 ? 'location' : 'locations'} found`;
  const readings = [...new Set(found.flatMap((r) => (r.readAs ? [r.readAs] : [])))].slice(0, 3);
  return readings.length ? `No postcode “${typed}”. Did you mean ${readings.join(' or ')}? ${count}` : count;
}
