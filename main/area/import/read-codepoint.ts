import { readFileSync } from 'node:fs';
import { parseUnitPostcode, postcodeReadings } from '../../../shared/gazetteer/postcode';
import type { PostcodeUnit } from '../build/area-model';
import { bngToLngLat, onNationalGrid } from './bng';
import type { Warn } from './feature-files';

/** Code-Point Open's columns when the file has no header row (as Ordnance Survey ship it). */
const DEFAULT_COLUMNS = { postcode: 0, quality: 1, easting: 2, northing: 3, district: 8, ward: 9, lng: -1, lat: -1 };
const HEADER_NAMES: Record<keyof typeof DEFAULT_COLUMNS, string[]> = {
  postcode: ['pc', 'postcode'],
  quality: ['pq', 'positional_quality_indicator'],
  easting: ['ea', 'eastings', 'easting'],
  northing: ['no', 'northings', 'northing'],
  district: ['dc', 'admin_district_code'],
  ward: ['wc', 'admin_ward_code'],
  lng: ['x', 'longitude', 'lng', 'lon'],
  lat: ['y', 'latitude', 'lat'],
};
/** Positional quality 90: Code-Point has no coordinates for the postcode. */
const NO_COORDINATES = '90';

export interface CodePointResult {
  units: PostcodeUnit[];
  rows: number;
  withoutCoordinates: number;
}

/**
 * Postcode units from a Code-Point Open CSV file: eastings and northings on the British National Grid, converted
 * to WGS84, with the district and ward codes the file gives. A bad row is reported by line and skipped.
 */
export function readCodePoint(path: string, warn: Warn): CodePointResult {
  const lines = readFileSync(path, 'utf8').split('\n');
  const units: PostcodeUnit[] = [];
  let columns = DEFAULT_COLUMNS;
  let rows = 0;
  let withoutCoordinates = 0;
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const text = raw.replace(/\r$/, '');
    if (!text.trim()) return;
    const fields = parseCsvLine(text);
    if (typeof fields === 'string') {
      warn(lineNumber, `${fields}; row skipped`);
      return;
    }
    if (index === 0 && !parseUnitPostcode(fields[0] ?? '') && fields.some((f) => HEADER_NAMES.postcode.includes(f.toLowerCase()))) {
      columns = columnsFromHeader(fields);
      return;
    }
    rows++;
    const field = (i: number) => (i >= 0 ? (fields[i] ?? '').trim() : '');
    const parsed = readPostcodeField(field(columns.postcode), (message) => warn(lineNumber, message));
    if (!parsed) return;
    if (field(columns.quality) === NO_COORDINATES) {
      withoutCoordinates++;
      return;
    }
    let point: [number, number];
    if (columns.easting >= 0 && columns.northing >= 0) {
      const easting = Number(field(columns.easting));
      const northing = Number(field(columns.northing));
      if (!field(columns.easting) || !field(columns.northing) || !onNationalGrid(easting, northing)) {
        warn(lineNumber, `${parsed.unit}: easting "${field(columns.easting)}" and northing "${field(columns.northing)}" are not a British National Grid position; row skipped`);
        return;
      }
      point = bngToLngLat(easting, northing);
    } else {
      const lng = Number(field(columns.lng));
      const lat = Number(field(columns.lat));
      if (!Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
        warn(lineNumber, `${parsed.unit}: "${field(columns.lng)}, ${field(columns.lat)}" is not a longitude and latitude; row skipped`);
        return;
      }
      point = [lng, lat];
    }
    units.push({ postcode: parsed.unit, point, districtCode: field(columns.district) || null, wardCode: field(columns.ward) || null });
  });
  return { units, rows, withoutCoordinates };
}

/**
 * A row's postcode. One written with a look-alike character (zero for O, 1 for I…) that only one reading fits is
 * read that way and said so; one that several readings fit, or none, is reported and its row skipped.
 */
function readPostcodeField(text: string, warn: (message: string) => void): ReturnType<typeof parseUnitPostcode> {
  const parsed = parseUnitPostcode(text);
  if (parsed) return parsed;
  const readings = postcodeReadings(text).filter((r) => parseUnitPostcode(r.compact));
  const fewest = readings.filter((r) => r.changes === readings[0]?.changes);
  const shown = `"${text.slice(0, 20)}"`;
  if (fewest.length === 1) {
    const read = parseUnitPostcode(fewest[0]!.compact)!;
    warn(`${shown} is not a postcode as written; read as ${read.unit}, its look-alike characters as the format needs them`);
    return read;
  }
  warn(`${shown} is not a postcode${fewest.length ? ` (it could be ${fewest.map((r) => r.printed).join(' or ')})` : ''}; row skipped`);
  return null;
}

function columnsFromHeader(header: string[]): typeof DEFAULT_COLUMNS {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => lower.findIndex((h) => names.includes(h));
  const columns = Object.fromEntries(Object.entries(HEADER_NAMES).map(([key, names]) => [key, find(names)])) as typeof DEFAULT_COLUMNS;
  // A file with eastings and northings uses them; longitude and latitude only when it has nothing else.
  if (columns.easting < 0 || columns.northing < 0) columns.easting = columns.northing = -1;
  return columns;
}

/** One CSV row: commas separate, double quotes enclose, "" is a quote inside quotes. */
export function parseCsvLine(line: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return 'a quoted field is not closed';
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      fields.push(value);
      if (i < line.length && line[i] !== ',') return `unexpected "${line[i]}" after a quoted field`;
    } else {
      const end = line.indexOf(',', i);
      fields.push(end < 0 ? line.slice(i) : line.slice(i, end));
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
  }
}
