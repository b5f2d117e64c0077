import { describe, expect, it } from 'vitest';
import type { GazetteerEntry } from '../../shared/gazetteer/entry';
import { GazetteerIndex } from '../../shared/gazetteer/gazetteer-index';
import { editDistance } from '../../shared/gazetteer/edit-distance';
import { looksLikePostcode, parseUnitPostcode } from '../../shared/gazetteer/postcode';

function entry(kind: GazetteerEntry['kind'], name: string, district: string | null, extra: Partial<GazetteerEntry> = {}): GazetteerEntry {
  return { kind, name, district, locality: null, category: null, aliases: [], center: [-1.4, 50.9], bbox: null, lines: null, weight: 0.3, ...extra };
}

const entries: GazetteerEntry[] = [
  entry('street', 'Shirley Road', 'Southampton', { locality: 'Freemantle', aliases: ['A3057', 'SO15'], weight: 0.8 }),
  entry('street', 'Shirley Park Road', 'Southampton', { locality: 'Millbrook' }),
  entry('street', 'Shirley High Street', 'Southampton', { locality: 'Shirley' }),
  entry('street', 'Upper Shirley Avenue', 'Southampton', { locality: 'Bassett' }),
  entry('street', 'Church Road', 'Eastleigh', { locality: 'Bishopstoke' }),
  entry('street', 'Church Road', 'Test Valley', { locality: 'Romsey' }),
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
});
