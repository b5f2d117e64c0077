import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AREA_FILES } from '../../shared/area/manifest';
import { fromStored, GAZETTEER_FORMAT, type GazetteerEntry, type GazetteerResult } from '../../shared/gazetteer/entry';
import { GazetteerIndex } from '../../shared/gazetteer/gazetteer-index';

export interface Gazetteer {
  search(query: string, limit: number): GazetteerResult[];
  readonly size: number;
}

/** Reads an area's gazetteer file and indexes it; entries that are not well formed are counted, not fatal. */
export async function loadGazetteer(areaDir: string): Promise<{ gazetteer: Gazetteer; skipped: number }> {
  const file = join(areaDir, AREA_FILES.gazetteer);
  const text = (await promisify(gunzip)(await readFile(file))).toString('utf8');
  const stored = JSON.parse(text) as { format?: unknown; entries?: unknown };
  if (stored.format !== GAZETTEER_FORMAT || !Array.isArray(stored.entries)) throw new Error(`${file} is not a gazetteer this console reads (format ${String(stored.format)})`);
  const entries: GazetteerEntry[] = [];
  let skipped = 0;
  for (const raw of stored.entries) {
    const entry = fromStored(raw);
    if (entry) entries.push(entry);
    else skipped++;
  }
  return { gazetteer: gazetteerOf(entries), skipped };
}

/** A searchable gazetteer over entries in memory (the bench and tests build one without a file). */
export function gazetteerOf(entries: readonly GazetteerEntry[]): Gazetteer {
  const index = GazetteerIndex.build(entries);
  return {
    size: index.size,
    search: (query, limit) =>
      index.search(query, limit).map(({ index: i, entry, match, readAs }) => ({
        id: `g${i}`,
        kind: entry.kind,
        name: entry.name,
        district: entry.district,
        locality: entry.locality,
        category: entry.category,
        center: entry.center,
        bbox: entry.bbox,
        lines: entry.lines,
        match,
        readAs,
      })),
  };
}
