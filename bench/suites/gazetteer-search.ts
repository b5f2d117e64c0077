import { channelNames } from '../../shared/contract/channels';
import type { GazetteerEntry } from '../../shared/gazetteer/entry';
import { normaliseText } from '../../shared/gazetteer/normalise';
import { createDispatcher, type Handlers } from '../../main/core/dispatcher';
import { Random } from '../../main/area/exercise/random';
import { gazetteerOf } from '../../main/area/gazetteer-service';
import { judged, percentile, type BenchFigure, type BenchSuite } from '../bench-types';

const ENTRIES = 200_000;
const QUERIES = 2_000;
const LIMIT_MS = 50;

// A county-and-more of made-up but ordinary names: towns from syllables, streets from stems and suffixes.
const TOWN_HEADS = ['Ash', 'Bar', 'Brad', 'Chel', 'Down', 'East', 'Fair', 'Green', 'Hol', 'King', 'Lang', 'Mar', 'North', 'Oak', 'Pen', 'Ram', 'Stan', 'Thorn', 'Up', 'West', 'Whit', 'Win'];
const TOWN_TAILS = ['ford', 'ton', 'ham', 'ley', 'bury', 'field', 'wick', 'stead', 'worth', 'combe', 'den', 'well', 'minster', 'by', 'thorpe', 'mouth', 'ridge', 'brook'];
const STEMS = ['Oak', 'Ash', 'Elm', 'Beech', 'Birch', 'Cedar', 'Hazel', 'Holly', 'Laurel', 'Maple', 'Rowan', 'Willow', 'Chestnut', 'Victoria', 'Albert', 'Nelson', 'Wellington', 'Gladstone', 'Windsor', 'Balmoral', 'Cambridge', 'Oxford', 'Durham', 'Lincoln', 'Warwick', 'Chester', 'Meadow', 'Brook', 'Orchard', 'Valley', 'Hill', 'Ridge', 'Field', 'Mill', 'Spring', 'Heath', 'Church', 'Station', 'School', 'Manor', 'Grange', 'Park', 'Castle', 'Market', 'Bridge', 'High', 'King', 'Queen', 'Shirley', 'Kingfisher', 'Heron', 'Swallow', 'Lark', 'Wren', 'Robin', 'Falcon', 'Primrose', 'Bluebell', 'Foxglove', 'Heather', 'Harbour', 'Quay', 'Abbey', 'Priory', 'Chapel', 'Tudor', 'Regent', 'Jubilee', 'Coronation', 'Waterloo', 'Trafalgar', 'Blenheim', 'Richmond', 'Beaufort', 'Cavendish', 'Russell', 'Bedford', 'Spencer', 'Fairfax', 'Salisbury', 'Pembroke', 'Stafford', 'Norfolk', 'Suffolk', 'Devon', 'Dorset', 'Somerset', 'Clarence', 'Howard', 'Percy', 'Stanley', 'Raleigh', 'Drake', 'Grenville', 'Cromwell', 'Fern', 'Clover', 'Lavender', 'Juniper', 'Poplar', 'Larch'];
const SUFFIXES = ['Road', 'Street', 'Avenue', 'Lane', 'Close', 'Crescent', 'Drive', 'Gardens', 'Grove', 'Place', 'Way', 'Terrace', 'Court', 'Walk', 'Rise', 'View', 'Mews'];
const PUBS = ['The Red Lion', 'The Crown', 'The Ship', 'The Royal Oak', 'The White Hart', 'The George', 'The Plough', 'The Bell', 'The Swan', 'The Star'];
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

function syntheticGazetteer(random: Random): { entries: GazetteerEntry[]; towns: string[]; streets: { name: string; town: string }[]; postcodes: string[] } {
  const towns = TOWN_HEADS.flatMap((head) => TOWN_TAILS.map((tail) => head + tail));
  const districts = Array.from({ length: 40 }, (_, i) => `${towns[i * 9]} District`);
  const entries: GazetteerEntry[] = [];
  const streets: { name: string; town: string }[] = [];
  const postcodes: string[] = [];
  const at = (): [number, number] => [random.range(-2.5, 0), random.range(50.5, 52)];
  const add = (kind: GazetteerEntry['kind'], name: string, district: string, locality: string | null, extra: Partial<GazetteerEntry> = {}) =>
    entries.push({ kind, name, district, locality, category: null, aliases: [], center: at(), bbox: null, lines: null, weight: random.range(0, 0.5), ...extra });

  towns.forEach((town, i) => add('place', town, districts[i % districts.length]!, null, { category: 'town', weight: 0.6 }));
  for (let i = 0; entries.length < ENTRIES * 0.72; i++) {
    const town = towns[i % towns.length]!;
    const name = `${random.pick(STEMS)} ${random.pick(SUFFIXES)}`;
    streets.push({ name, town });
    add('street', name, districts[i % districts.length]!, town, { aliases: [`${'AB'}${(i % 60) + 1}`] });
  }
  for (let i = 0; entries.length < ENTRIES * 0.74; i++) add('landmark', random.pick(PUBS), districts[i % districts.length]!, towns[i % towns.length]!, { category: 'pub' });
  // Postcodes in 20 areas, each with districts, sectors and units, to the full count.
  for (let area = 0; entries.length < ENTRIES; area++) {
    const areaCode = `${LETTERS[area % LETTERS.length]}${LETTERS[(area * 7) % LETTERS.length]}`;
    for (let district = 1; district <= 30 && entries.length < ENTRIES; district++) {
      const outward = `${areaCode}${district}`;
      add('postcode-district', outward, districts[district % districts.length]!, null);
      for (let sector = 0; sector <= 9 && entries.length < ENTRIES; sector++) {
        add('postcode-sector', `${outward} ${sector}`, districts[district % districts.length]!, null);
        for (let unit = 0; unit < 30 && entries.length < ENTRIES; unit++) {
          const postcode = `${outward} ${sector}${LETTERS[unit % LETTERS.length]}${LETTERS[(unit * 3 + sector) % LETTERS.length]}`;
          postcodes.push(postcode);
          add('postcode', postcode, districts[district % districts.length]!, null);
        }
      }
    }
  }
  return { entries, towns, streets, postcodes };
}

/** One typo: a letter dropped, doubled or two swapped, somewhere past the first. */
function misspell(word: string, random: Random): string {
  const i = random.int(1, word.length - 2);
  const kind = random.int(0, 2);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** What call handlers type: whole names, names with a place, typos, abbreviations, half-typed words, postcodes. */
function queryMix(random: Random, data: ReturnType<typeof syntheticGazetteer>): string[] {
  const queries: string[] = [];
  while (queries.length < QUERIES) {
    const street = random.pick(data.streets);
    const [stem, suffix] = street.name.split(' ') as [string, string];
    const postcode = random.pick(data.postcodes);
    const town = random.pick(data.towns);
    const choices = [
      street.name,
      `${street.name} ${street.town}`,
      `${misspell(stem, random)} ${suffix}`,
      `${stem.slice(0, 4).toLowerCase()} ${suffix === 'Road' ? 'rd' : suffix.slice(0, 2).toLowerCase()}`,
      `12 ${street.name}`,
      postcode,
      postcode.replace(' ', '').toLowerCase(),
      postcode.slice(0, -2),
      town,
      misspell(town, random),
      town.slice(0, random.int(2, 5)),
      `red lion ${town}`,
    ];
    queries.push(random.pick(choices));
  }
  return queries;
}

function timeEach(queries: string[], search: (query: string) => unknown): number[] {
  return queries.map((query) => {
    const started = performance.now();
    search(query);
    return performance.now() - started;
  });
}

async function timeEachAsync(queries: string[], search: (query: string) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await search(query);
    times.push(performance.now() - started);
  }
  return times;
}

export const gazetteerSearch: BenchSuite = {
  name: 'gazetteer-search',
  description: `location search over a ${ENTRIES.toLocaleString('en-GB')}-entry gazetteer: ${QUERIES} typed queries (names, typos, abbreviations, prefixes, postcodes)`,
  async run(): Promise<BenchFigure[]> {
    const random = new Random(20_261_129);
    const data = syntheticGazetteer(random);
    const queries = queryMix(random, data);
    const heapBefore = process.memoryUsage().heapUsed;
    const buildStarted = performance.now();
    const gazetteer = gazetteerOf(data.entries);
    const buildMs = performance.now() - buildStarted;
    const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    // Warm up, as a console would be after its first few searches.
    for (const query of queries.slice(0, 200)) gazetteer.search(query, 8);
    const direct = timeEach(queries, (query) => gazetteer.search(query, 8));

    // The same searches as a window makes them: through the core's dispatcher, request and response validated.
    const handlers = Object.fromEntries(channelNames.map((name) => [name, () => Promise.reject(new Error('not under test'))])) as unknown as Handlers;
    const dispatch = createDispatcher({ ...handlers, 'gazetteer.search': ({ query, limit }) => ({ query, results: gazetteer.search(query, limit) }) }, () => {});
    const throughCore = await timeEachAsync(queries, (query) => dispatch('gazetteer.search', { query, limit: 8 }));

    // A peer in the same run: the naive alternative, every name scanned for the typed text (all of them, as any
    // ranking must see every match), with no typo tolerance and no ranking at all.
    const normalNames = data.entries.map((e) => normaliseText(e.name));
    const scan = timeEach(queries.slice(0, 300), (query) => {
      const needle = normaliseText(query);
      const found: number[] = [];
      for (let i = 0; i < normalNames.length; i++) if (normalNames[i]!.includes(needle)) found.push(i);
      return found.slice(0, 8);
    });

    const limit = { value: LIMIT_MS, unit: 'ms', better: 'lower' as const };
    const peer = { name: 'substring scan of every name (no typos, no ranking), p95', value: round(percentile(scan, 95)), unit: 'ms' };
    const detail = { entries: gazetteer.size, queries: queries.length, buildMs: round(buildMs), heapMiB: round(heapMiB) };
    return [
      judged({ suite: this.name, name: 'search p95 (through the core dispatcher)', value: round(percentile(throughCore, 95)), unit: 'ms', limit, peer, detail }),
      judged({ suite: this.name, name: 'search p95 (index alone)', value: round(percentile(direct, 95)), unit: 'ms', limit, peer }),
      { suite: this.name, name: 'search p50 (through the core dispatcher)', value: round(percentile(throughCore, 50)), unit: 'ms' },
      { suite: this.name, name: 'search p99 (through the core dispatcher)', value: round(percentile(throughCore, 99)), unit: 'ms' },
      { suite: this.name, name: 'index build', value: round(buildMs), unit: 'ms', detail: { heapMiB: round(heapMiB) } },
    ];
  },
};

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
