import { describe, expect, it } from 'vitest';
import type { GazetteerEntry } from '../../shared/gazetteer/entry';
import { GazetteerIndex } from '../../shared/gazetteer/gazetteer-index';
import { editDistance } from '../../shared/gazetteer/edit-distance';
import { looksLikePostcode, parseUnitPostcode, postcodeReadings } from '../../shared/gazetteer/postcode';
import { describeFound } from '../../renderer/features/map/describe-result';
import { gazetteerOf } from '../../main/area/gazetteer-service';

function entry(kind: GazetteerEntry['kind'], name: string, district: string | null, extra: Partial<GazetteerEntry> = {}): GazetteerEntry {
  return { kind, name, district, locality: null, category: null, aliases: [], center: [-1.4, 50.9], bbox: null, lines: null, weight: 0.3, ...extra };
}

const entries: GazetteerEntry[] = [
  entry('street', 'Shirley Road', 'Southampton', { locality: 'Freemantle', aliases: ['A3057', 'SO15'], weight: 0.8 }),
  entry('street', 'Shirley Park Road', 'Southampton', { locality: 'Millbrook' }),
  entry('street', 'Shirley High Street', 'Southampton', { locality: 'Shirley' }),
  entry('street', 'Upper Shirley Avenue', 'Southampton', { locality: 'Bassett' }),
  entry('street', 'Church Road', 'Eastleigh', { locality: 'Bishopstoke', aliases: ['SO50'] }),
  entry('street', 'Church Road', 'Test Valley', { locality: 'Romsey', aliases: ['SO51'] }),
  entry('street', 'St Mary Street', 'Southampton'),
  entry('street', 'The Polygon', 'Southampton'),
  entry('street', 'Polygon Mews', 'Southampton'),
  entry('place', 'Farnborough', 'Rushmoor', { category: 'town', weight: 0.8 }),
  entry('place', 'Farnborough', 'West Berkshire', { category: 'village', weight: 0.4 }),
  entry('place', 'Shirley', 'Southampton', { category: 'suburb' }),
  entry('landmark', 'Portswood Police Station', 'Southampton', { category: 'police' }),
  entry('landmark', 'The Red Lion', 'Southampton', { category: 'pub' }),
  entry('postcode-district', 'SO15', 'Southampton'),
  entry('postcode-sector', 'SO15 5', 'Southampton'),
  entry('postcode-sector', 'SO15 3', 'Southampton'),
  entry('postcode', 'SO15 5AA', 'Southampton'),
  entry('postcode', 'SO15 5AB', 'Southampton'),
  entry('postcode', 'SO15 3AA', 'Southampton'),
  entry('postcode', 'SO16 4XY', 'Southampton'),
];
const index = GazetteerIndex.build(entries);
const names = (query: string, limit = 5) => index.search(query, limit).map((hit) => `${hit.entry.name}|${hit.entry.district}`);
const first = (query: string) => index.search(query, 1)[0]?.entry;

describe('gazetteer search', () => {
  it('finds a street by its exact name, first', () => {
    expect(first('Shirley Road')).toMatchObject({ name: 'Shirley Road', kind: 'street' });
    expect(index.search('Shirley Road', 1)[0]!.match).toBe('exact');
  });

  it('finds a misspelt street and says the match is a similar spelling', () => {
    const [hit] = index.search('Shirly Road', 1);
    expect(hit!.entry.name).toBe('Shirley Road');
    expect(hit!.match).toBe('fuzzy');
    expect(first('Shirlye Raod')?.name).toBe('Shirley Road'); // two transpositions, one per word
  });

  it('finds a street from partial, abbreviated words', () => {
    expect(first('shirl rd')?.name).toBe('Shirley Road');
    expect(first('shirley r')?.name).toBe('Shirley Road');
    expect(first('st mary st')?.name).toBe('St Mary Street');
    expect(first('saint mary street')?.name).toBe('St Mary Street');
  });

  it('ignores the house number a caller gives', () => {
    expect(first('12 Shirley Road')?.name).toBe('Shirley Road');
  });

  it('finds a postcode sector typed without its space, then its units', () => {
    expect(names('SO155')).toEqual(['SO15 5|Southampton', 'SO15 5AA|Southampton', 'SO15 5AB|Southampton']);
    expect(names('so15 5aa', 1)).toEqual(['SO15 5AA|Southampton']);
    expect(index.search('SO15', 3).map((h) => h.entry.name)).toEqual(['SO15', 'SO15 3', 'SO15 5']);
  });

  it('offers the postcode meant when one typed with O for 0, I for 1 or S for 5 finds none, asking, never as typed', () => {
    const corrected = (query: string, limit = 1) => index.search(query, limit).map((h) => `${h.entry.name}|${h.match}|${h.readAs}`);
    for (const typed of ['S015 5AA', 's0155aa', 'SOI5 5AA', 'SOl5 5AA', 'SO1S 5AA', 'SO15 SAA', '5O15 5AA']) expect(corrected(typed), typed).toEqual(['SO15 5AA|fuzzy|SO15 5AA']);
    // Partly typed: the district, the sector and its units, each found as the reading and marked so.
    expect(corrected('S015')).toEqual(['SO15|fuzzy|SO15']);
    expect(corrected('S0155', 3)).toEqual(['SO15 5|fuzzy|SO15 5', 'SO15 5AA|fuzzy|SO15 5', 'SO15 5AB|fuzzy|SO15 5']);
    expect(corrected('SO15 5A8')).toEqual(['SO15 5AB|fuzzy|SO15 5AB']); // B for 8 where the unit needs a letter
    // What is found as typed is not "corrected"; a postcode the area lacks is not swapped for one it has.
    expect(corrected('SO15 5AA')).toEqual(['SO15 5AA|exact|null']);
    const postcodes = (query: string) => index.search(query, 5).filter((h) => h.entry.kind.startsWith('postcode'));
    expect(postcodes('SO15 5AC')).toEqual([]);
    expect(postcodes('S015 5AC')).toEqual([]);
  });

  it('reads a postcode district among the words with its look-alike characters as the format needs', () => {
    expect(first('church road s051')).toMatchObject({ name: 'Church Road', district: 'Test Valley' });
    expect(first('church road SO5O')).toMatchObject({ name: 'Church Road', district: 'Eastleigh' });
  });

  it('gives windows the reading with each result, and the status line asks "Did you mean"', () => {
    const results = gazetteerOf(entries).search('S015 5AA', 5);
    expect(results[0]).toMatchObject({ name: 'SO15 5AA', kind: 'postcode', match: 'fuzzy', readAs: 'SO15 5AA' });
    expect(describeFound('S015 5AA', results)).toBe(`No postcode “S015 5AA”. Did you mean SO15 5AA? ${results.length} location${results.length === 1 ? '' : 's'} found`);
    expect(describeFound('SO15 5AA', gazetteerOf(entries).search('SO15 5AA', 1))).toBe('1 location found');
    expect(describeFound('SO15 5AC', [])).toBe('No location matches “SO15 5AC”');
  });

  it('lists same-name places each with its district, the larger first', () => {
    const hits = index.search('Farnborough', 5).filter((h) => h.entry.name === 'Farnborough');
    expect(hits.map((h) => h.entry.district)).toEqual(['Rushmoor', 'West Berkshire']);
    expect(names('church road', 2).sort()).toEqual(['Church Road|Eastleigh', 'Church Road|Test Valley']);
  });

  it('tells same-name streets apart by a place named with them', () => {
    expect(first('church road romsey')).toMatchObject({ name: 'Church Road', district: 'Test Valley' });
    expect(first('church rd bishopstoke')).toMatchObject({ name: 'Church Road', district: 'Eastleigh' });
  });

  it('prefers the whole name asked for over longer names containing it', () => {
    expect(first('shirley')).toMatchObject({ name: 'Shirley', kind: 'place' });
    expect(names('polygon', 2)[0]).toBe('The Polygon|Southampton');
    expect(first('the polygon')?.name).toBe('The Polygon');
  });

  it('finds streets by road number and postcode district, and landmarks by what they are', () => {
    expect(first('A3057')?.name).toBe('Shirley Road');
    expect(first('shirley road so15')?.name).toBe('Shirley Road');
    expect(first('police station portswood')?.name).toBe('Portswood Police Station');
    expect(first('red lion pub')?.name).toBe('The Red Lion');
  });

  it('still answers when one word matches nothing, rather than hiding the street', () => {
    expect(first('Shirley Road Narnia')?.name).toBe('Shirley Road');
  });

  it('returns nothing for an empty or unmatched query, and never more than the limit', () => {
    expect(index.search('   ', 5)).toEqual([]);
    expect(index.search('zzzzqqq', 5)).toEqual([]);
    expect(index.search('road', 2)).toHaveLength(2);
  });
});

describe('gazetteer text rules', () => {
  it('counts a transposition as one edit, and gives up past the maximum', () => {
    expect(editDistance('shirley', 'shirly', 2)).toBe(1);
    expect(editDistance('shirley', 'shriley', 2)).toBe(1);
    expect(editDistance('shirley', 'sherlock', 2)).toBe(3);
  });

  it('reads postcodes however they are typed', () => {
    expect(parseUnitPostcode('so155aa')).toEqual({ unit: 'SO15 5AA', sector: 'SO15 5', district: 'SO15', area: 'SO' });
    expect(parseUnitPostcode('EC1A 1BB')?.district).toBe('EC1A');
    expect(parseUnitPostcode('Shirley')).toBeNull();
    expect(looksLikePostcode('SO15 5')).toBe(true);
    expect(looksLikePostcode('Shirley Road')).toBe(false);
  });

  it('reads look-alike characters in a postcode only where its format needs the other kind, fewest changes first', () => {
    const read = (typed: string) => postcodeReadings(typed).map((r) => `${r.printed}/${r.changes}`);
    // The outward code: area letters then a digit; the inward code: a digit then two letters.
    expect(read('S015 5QF')).toEqual(['SO15 5QF/1', 'SO1S 5QF/2']);
    expect(read('SO15 SQF')).toEqual(['SO15 5QF/1', 'SO1S 5QF/2']);
    expect(read('SO15 5Q0')).toEqual(['SO15 5QO/1', 'SO1S 5QO/2']); // the unit's last place needs a letter
    expect(read('1P4 1AB')).toEqual(['IP4 1AB/1', 'LP4 1AB/1']); // 1 for I or L: the gazetteer says which exists
    expect(read('B8 8AZ')).toEqual([]); // nothing to correct: every character fits where it is
    expect(read('SW1A 1AA')).toEqual([]);
    expect(read('SW1A 1A4')).toEqual([]); // 4 has no look-alike letter
    expect(read('Shirley Road')).toEqual([]);
    expect(read('Bl')).toEqual([]); // letters alone are a word being typed, not B1
    expect(read('Shirley')).toEqual([]);
    expect(read('S015')[0]).toBe('S01S/1');
  });
});
