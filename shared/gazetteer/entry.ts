import { z } from 'zod';
import { BBox, LngLat, type BBox as BBoxT, type LngLat as LngLatT } from '../area/geo';

/** What a gazetteer entry is. Postcodes come at three levels: a unit, its sector and its district. */
export const EntryKind = z.enum(['street', 'postcode', 'postcode-sector', 'postcode-district', 'place', 'landmark', 'district', 'ward', 'beat', 'force']);
export type EntryKind = z.infer<typeof EntryKind>;

export const POSTCODE_KINDS: ReadonlySet<EntryKind> = new Set(['postcode', 'postcode-sector', 'postcode-district']);

/** One thing a call handler can name, with where it is. */
export interface GazetteerEntry {
  kind: EntryKind;
  name: string;
  /** The local authority district it lies in: what tells two places of one name apart. */
  district: string | null;
  /** Finer than the district: the ward, suburb or village. */
  locality: string | null;
  /** A landmark's category, a place's kind (town, village), a road's number. */
  category: string | null;
  /** Other words it is found by without showing them: road numbers, postcode districts, category names. */
  aliases: string[];
  /** Where to centre the map: on the line for a street, inside the shape for an area. */
  center: LngLatT;
  bbox: BBoxT | null;
  /** A street's line(s), to draw and to fit the view to. */
  lines: LngLatT[][] | null;
  /** 0–1: how prominent (population, road class), to order otherwise equal matches. */
  weight: number;
}

/** How well a result matched what was typed, so a window can say "did you mean". */
export const MatchQuality = z.enum(['exact', 'partial', 'fuzzy']);
export type MatchQuality = z.infer<typeof MatchQuality>;

/** One search result as windows receive it. */
export const GazetteerResult = z.object({
  id: z.string().min(1).max(40),
  kind: EntryKind,
  name: z.string(),
  district: z.string().nullable(),
  locality: z.string().nullable(),
  category: z.string().nullable(),
  center: LngLat,
  bbox: BBox.nullable(),
  lines: z.array(z.array(LngLat)).nullable(),
  match: MatchQuality,
  /**
   * The postcode as read to find this result, when what was typed found none and this was found by reading its
   * look-alike characters as the format needs ("S015 5AA" read as "SO15 5AA"): the window asks "Did you mean …?".
   * Null for everything found as typed. (Optional on the wire, for a core that does not send it.)
   */
  readAs: z.string().max(20).nullable().default(null),
});
export type GazetteerResult = z.infer<typeof GazetteerResult>;

/**
 * The stored form, one object per entry with short keys (the file holds hundreds of thousands). Checked by hand
 * on load rather than by schema: it is written by our own tools, and parsing must stay quick.
 */
export interface StoredEntry {
  k: EntryKind;
  n: string;
  d?: string;
  l?: string;
  c?: string;
  a?: string[];
  p: LngLatT;
  b?: BBoxT;
  g?: LngLatT[][];
  w?: number;
}

export const GAZETTEER_FORMAT = 1;

export interface StoredGazetteer {
  format: typeof GAZETTEER_FORMAT;
  entries: StoredEntry[];
}

export function toStored(entry: GazetteerEntry): StoredEntry {
  const stored: StoredEntry = { k: entry.kind, n: entry.name, p: entry.center };
  if (entry.district) stored.d = entry.district;
  if (entry.locality) stored.l = entry.locality;
  if (entry.category) stored.c = entry.category;
  if (entry.aliases.length) stored.a = entry.aliases;
  if (entry.bbox) stored.b = entry.bbox;
  if (entry.lines) stored.g = entry.lines;
  if (entry.weight) stored.w = Math.round(entry.weight * 1000) / 1000;
  return stored;
}

const KINDS = new Set<string>(EntryKind.options);
const isPosition = (p: unknown): p is LngLatT => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** The entry, or null if the stored object is not one (the caller counts and reports those). */
export function fromStored(raw: unknown): GazetteerEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<StoredEntry>;
  if (typeof s.k !== 'string' || !KINDS.has(s.k) || typeof s.n !== 'string' || !s.n || !isPosition(s.p)) return null;
  if (!isOptionalString(s.d) || !isOptionalString(s.l) || !isOptionalString(s.c)) return null;
  if (s.a !== undefined && !(Array.isArray(s.a) && s.a.every((a) => typeof a === 'string'))) return null;
  if (s.b !== undefined && !(Array.isArray(s.b) && s.b.length === 4 && s.b.every((v) => typeof v === 'number'))) return null;
  if (s.g !== undefined && !(Array.isArray(s.g) && s.g.every((line) => Array.isArray(line) && line.every(isPosition)))) return null;
  return {
    kind: s.k,
    name: s.n,
    district: s.d ?? null,
    locality: s.l ?? null,
    category: s.c ?? null,
    aliases: s.a ?? [],
    center: s.p,
    bbox: (s.b as BBoxT | undefined) ?? null,
    lines: s.g ?? null,
    weight: typeof s.w === 'number' && Number.isFinite(s.w) ? Math.max(0, Math.min(1, s.w)) : 0,
  };
}
