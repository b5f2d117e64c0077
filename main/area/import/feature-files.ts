import { readFileSync } from 'node:fs';
import { feature as topoFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { scanFeatureCollection } from './tolerant-json';

export type Warn = (line: number | null, message: string) => void;

export interface FileFeature {
  properties: Record<string, unknown>;
  geometry: unknown;
  /** Where the feature starts in the file (null for TopoJSON, whose features are assembled from shared arcs). */
  line: number | null;
}

/**
 * The features of a GeoJSON or TopoJSON file. A corrupt GeoJSON file still gives its whole features, each problem
 * reported by line; a TopoJSON file must parse whole, since its shapes share arcs.
 */
export function readFeatures(path: string, warn: Warn): FileFeature[] {
  const text = readFileSync(path, 'utf8');
  const scan = scanFeatureCollection(text);
  for (const problem of scan.problems) warn(problem.line, problem.message);
  const out: FileFeature[] = [];
  const take = (raw: unknown, line: number | null) => {
    if (typeof raw !== 'object' || raw === null || (raw as { type?: unknown }).type !== 'Feature') {
      warn(line, 'not a GeoJSON Feature; skipped');
      return;
    }
    const { properties, geometry } = raw as { properties?: unknown; geometry?: unknown };
    out.push({ properties: typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {}, geometry, line });
  };
  for (const item of scan.features) take(item.value, item.line);
  const document = scan.document as { type?: unknown; objects?: Record<string, unknown> } | null;
  if (document?.type === 'Topology' && document.objects) {
    for (const name of Object.keys(document.objects)) {
      const collection = topoFeature(document as unknown as Topology, name) as unknown as { type: string; features?: unknown[] };
      for (const f of collection.type === 'FeatureCollection' ? (collection.features ?? []) : [collection]) take(f, null);
    }
  } else if (document?.type === 'Feature') {
    take(document, 1);
  } else if (document) {
    warn(1, 'neither a GeoJSON FeatureCollection nor a TopoJSON Topology; nothing read');
  }
  return out;
}

/** The first property, of those named or matching, that holds a non-empty string or number. */
export function pickProperty(properties: Record<string, unknown>, exact: string[], patterns: RegExp[]): string | null {
  const value = (key: string) => {
    const v = properties[key];
    return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
  };
  for (const key of exact) {
    const v = value(key);
    if (v) return v;
  }
  for (const pattern of patterns) {
    for (const key of Object.keys(properties)) {
      if (!pattern.test(key)) continue;
      const v = value(key);
      if (v) return v;
    }
  }
  return null;
}
