import { LANDMARK_LABELS, isLandmarkCategory } from '../area/tile-schema';
import { editDistance, oneDeletions } from './edit-distance';
import { POSTCODE_KINDS, type EntryKind, type GazetteerEntry, type MatchQuality } from './entry';
import { expansionsOf, isHouseNumber, normaliseText, STOP_WORDS, tokenise } from './normalise';
import { compactPostcode, looksLikePostcode, postcodeReadings, type PostcodeReading } from './postcode';

export interface SearchHit {
  /** The entry's position in the list the index was built from: its id within the area. */
  index: number;
  entry: GazetteerEntry;
  score: number;
  match: MatchQuality;
  /**
   * The postcode as read to find this hit, when what was typed found no postcode and this one was found by reading
   * look-alike characters as the format needs them ("S015 5AA" read as "SO15 5AA"): offered, never substituted.
   */
  readAs: string | null;
}

// How well one typed word matches one indexed word. The bands say what kind of match it was (see qualityClass).
const EXACT = 1;
const EXPANDED = 0.97;
const PREFIX_BASE = 0.7;
const PREFIX_SPAN = 0.25;
const ONE_TYPO = 0.6;
const TWO_TYPOS = 0.45;
/** A word found in the district, locality or aliases counts for less than one in the name itself. */
const CONTEXT_FACTOR = 0.75;
/** At most this many indexed words are taken as completions of one short typed prefix. */
const MAX_PREFIX_TOKENS = 4000;
/** A postcode found only by correcting look-alike characters ranks below the same match as typed. */
const CORRECTED_POSTCODE_FACTOR = 0.6;

/** Small nudges between kinds when everything else is equal: a bare "Shirley" most often means the place. */
const KIND_PRIOR: Record<EntryKind, number> = {
  place: 0.06,
  district: 0.05,
  ward: 0.04,
  street: 0.04,
  landmark: 0.035,
  force: 0.03,
  'postcode-district': 0.03,
  'postcode-sector': 0.02,
  postcode: 0.01,
  beat: 0.02,
};

type TermMatches = Map<number, number>;

/**
 * The gazetteer's search index, built once when an area loads. Words of names and of their context (district,
 * locality, aliases) are indexed with posting lists; typos are found through a one-deletion index (SymSpell);
 * postcodes through sorted keys at unit, sector and district level.
 *
 * A search takes the typed word with the fewest candidate entries, walks only those entries, and checks the other
 * words against each entry's own few words. Every word must match something (house numbers excepted); if nothing
 * does, one word may be left out at a cost, so a stray word does not hide the answer.
 */
export class GazetteerIndex {
  private readonly vocab: string[];
  private readonly tokenIds: Map<string, number>;
  /** Per word: entry << 1 | 1 when the word is in the entry's context rather than its name. */
  private readonly postings: Int32Array[];
  private readonly nameTokens: Int32Array[];
  private readonly contextTokens: Int32Array[];
  /** Per entry: bit i set when name word i counts towards coverage (not a stop word). */
  private readonly significantMask: Uint32Array;
  private readonly deletions: Map<string, number[]>;
  private readonly postcodeLevels: { keys: string[]; entries: Int32Array; prefixScore: number }[];
  private readonly seen: Uint32Array;
  private generation = 0;

  private constructor(private readonly entries: readonly GazetteerEntry[]) {
    const names: string[][] = [];
    const contexts: string[][] = [];
    const vocabulary = new Set<string>();
    const postcodes: Record<'postcode-district' | 'postcode-sector' | 'postcode', [string, number][]> = { 'postcode-district': [], 'postcode-sector': [], postcode: [] };

    entries.forEach((entry, i) => {
      if (POSTCODE_KINDS.has(entry.kind)) {
        postcodes[entry.kind as keyof typeof postcodes].push([compactPostcode(entry.name), i]);
        names.push([]);
        contexts.push([]);
        return;
      }
      const name = tokenise(entry.name).slice(0, 31);
      const inName = new Set(name);
      const context = new Set<string>();
      const addContext = (text: string | null | undefined) => {
        for (const word of tokenise(text ?? '')) if (!inName.has(word)) context.add(word);
      };
      addContext(entry.district);
      addContext(entry.locality);
      for (const alias of entry.aliases) addContext(alias);
      if (entry.kind === 'landmark' && isLandmarkCategory(entry.category)) addContext(LANDMARK_LABELS[entry.category]);
      if (entry.kind === 'place') addContext(entry.category);
      names.push(name);
      contexts.push([...context]);
      for (const word of name) vocabulary.add(word);
      for (const word of context) vocabulary.add(word);
    });

    this.vocab = [...vocabulary].sort();
    this.tokenIds = new Map(this.vocab.map((word, id) => [word, id]));

    const counts = new Int32Array(this.vocab.length);
    const toIds = (words: string[]) => Int32Array.from(words, (w) => this.tokenIds.get(w)!);
    this.nameTokens = names.map(toIds);
    this.contextTokens = contexts.map(toIds);
    for (let e = 0; e < entries.length; e++) {
      for (const id of new Set(this.nameTokens[e])) counts[id]!++;
      for (const id of this.contextTokens[e]!) counts[id]!++;
    }
    this.postings = Array.from(counts, (n) => new Int32Array(n));
    const filled = new Int32Array(this.vocab.length);
    for (let e = 0; e < entries.length; e++) {
      for (const id of new Set(this.nameTokens[e])) this.postings[id]![filled[id]!++] = e << 1;
      for (const id of this.contextTokens[e]!) this.postings[id]![filled[id]!++] = (e << 1) | 1;
    }

    this.significantMask = new Uint32Array(entries.length);
    names.forEach((words, e) => {
      let mask = 0;
      words.forEach((word, i) => {
        if (!STOP_WORDS.has(word)) mask |= 1 << i;
      });
      this.significantMask[e] = mask;
    });

    this.deletions = new Map();
    this.vocab.forEach((word, id) => {
      if (word.length < 4) return;
      for (const deleted of oneDeletions(word)) {
        const list = this.deletions.get(deleted);
        if (!list) this.deletions.set(deleted, [id]);
        else if (list[list.length - 1] !== id) list.push(id);
      }
    });

    const level = (pairs: [string, number][], prefixScore: number) => {
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      return { keys: pairs.map(([key]) => key), entries: Int32Array.from(pairs, ([, e]) => e), prefixScore };
    };
    this.postcodeLevels = [level(postcodes['postcode-district'], 1.0), level(postcodes['postcode-sector'], 0.95), level(postcodes.postcode, 0.9)];
    this.seen = new Uint32Array(entries.length);
  }

  static build(entries: readonly GazetteerEntry[]): GazetteerIndex {
    return new GazetteerIndex(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  get vocabularySize(): number {
    return this.vocab.length;
  }

  entry(index: number): GazetteerEntry | undefined {
    return this.entries[index];
  }

  /** The best matches for what a call handler typed, best first. */
  search(query: string, limit = 10): SearchHit[] {
    const trimmed = query.trim();
    if (!trimmed || limit <= 0) return [];
    const top = new TopHits(limit, this.entries);
    const found = looksLikePostcode(trimmed) ? this.searchPostcodes(compactPostcode(trimmed), top, limit, null) : 0;
    if (found === 0) this.searchPostcodeReadings(trimmed, top, limit);
    this.searchWords(trimmed, top);
    return top.sorted();
  }

  /** Offers the postcodes equal to or starting with `key`, at each level; returns how many it offered. */
  private searchPostcodes(key: string, top: TopHits, limit: number, reading: PostcodeReading | null): number {
    let offered = 0;
    // A corrected reading is shown as the postcode it names when there is one ("SO15 5" for SO155), else as read.
    const readAs = reading ? (this.postcodeNamed(key) ?? reading.printed) : null;
    for (const { keys, entries, prefixScore } of this.postcodeLevels) {
      let i = lowerBound(keys, key);
      for (let taken = 0; i < keys.length && keys[i]!.startsWith(key) && taken < limit; i++, taken++) {
        const exact = keys[i]!.length === key.length;
        const score = exact ? 1.5 : prefixScore - taken * 1e-4;
        if (readAs) top.offer(entries[i]!, score * CORRECTED_POSTCODE_FACTOR, 'fuzzy', readAs);
        else top.offer(entries[i]!, score, exact ? 'exact' : 'partial');
        offered++;
      }
    }
    return offered;
  }

  /** The printed name of the postcode (unit, sector or district) whose key this is, if the area has it. */
  private postcodeNamed(key: string): string | null {
    for (const { keys, entries } of this.postcodeLevels) {
      const i = lowerBound(keys, key);
      if (keys[i] === key) return this.entries[entries[i]!]!.name;
    }
    return null;
  }

  /**
   * When what was typed finds no postcode: the postcodes it reads as once look-alike characters are read as the
   * format needs (O for 0, I for 1, S for 5…), those with the fewest characters changed that find any.
   */
  private searchPostcodeReadings(typed: string, top: TopHits, limit: number): void {
    let found = 0;
    let changes = 0;
    for (const reading of postcodeReadings(typed)) {
      if (found > 0 && reading.changes > changes) return;
      changes = reading.changes;
      found += this.searchPostcodes(reading.compact, top, limit, reading);
    }
  }

  private searchWords(query: string, top: TopHits): void {
    let words = tokenise(query);
    if (words.some((w) => !isHouseNumber(w))) words = words.filter((w) => !isHouseNumber(w));
    if (words.length === 0) return;
    const terms = words.map((word, i) => this.termMatches(word, i === words.length - 1));
    const normalQuery = normaliseText(words.join(' '));
    const costs = terms.map((term) => this.costOf(term));

    const order = costs.map((cost, i) => [cost, i] as const).filter(([, i]) => terms[i]!.size > 0).sort((a, b) => a[0] - b[0]);
    if (order.length === terms.length) {
      if (this.walk(terms, order[0]![1], normalQuery, false, top) > 0) return;
    }
    // Nothing has every word: let one word go unmatched, walking from the two rarest words that did match.
    if (terms.length >= 2 && order.length >= terms.length - 1) {
      for (const [, driver] of order.slice(0, 2)) this.walk(terms, driver, normalQuery, true, top);
    }
  }

  /** Scores every entry holding one of the driver term's words; returns how many matched. */
  private walk(terms: TermMatches[], driver: number, normalQuery: string, allowMissing: boolean, top: TopHits): number {
    const generation = ++this.generation;
    let matched = 0;
    for (const tokenId of terms[driver]!.keys()) {
      for (const posting of this.postings[tokenId]!) {
        const e = posting >> 1;
        if (this.seen[e] === generation) continue;
        this.seen[e] = generation;
        const scored = this.score(e, terms, normalQuery, allowMissing);
        if (scored) {
          matched++;
          top.offer(e, scored.score, scored.match);
        }
      }
    }
    return matched;
  }

  private score(e: number, terms: TermMatches[], normalQuery: string, allowMissing: boolean): { score: number; match: MatchQuality } | null {
    const name = this.nameTokens[e]!;
    const context = this.contextTokens[e]!;
    let sum = 0;
    let missing = 0;
    let covered = 0;
    let worst = EXACT;
    let allInName = true;
    for (const term of terms) {
      let best = 0;
      let bestRaw = 0;
      let bestPosition = -1;
      for (let i = 0; i < name.length; i++) {
        const q = term.get(name[i]!);
        if (q !== undefined && q > best) {
          best = q;
          bestRaw = q;
          bestPosition = i;
        }
      }
      for (let i = 0; i < context.length; i++) {
        const q = term.get(context[i]!);
        if (q !== undefined && q * CONTEXT_FACTOR > best) {
          best = q * CONTEXT_FACTOR;
          bestRaw = q;
          bestPosition = -1;
        }
      }
      if (best === 0) {
        if (!allowMissing || ++missing > 1) return null;
        continue;
      }
      sum += best;
      if (bestRaw < worst) worst = bestRaw;
      if (bestPosition >= 0) covered |= 1 << bestPosition;
      else allInName = false;
    }
    const significant = this.significantMask[e]!;
    const coverage = significant === 0 ? 1 : popcount(covered & significant) / popcount(significant);
    const entry = this.entries[e]!;
    // Every word typed is in the name as written and the name has nothing more: what was asked for, by name.
    const exactName = worst >= EXPANDED && allInName && missing === 0 && coverage === 1;
    const sameOrder = exactName && normaliseText(entry.name) === normalQuery;
    const score = 0.55 * (sum / terms.length) + 0.3 * coverage + 0.08 * entry.weight + KIND_PRIOR[entry.kind] + (exactName ? 0.15 : 0) + (sameOrder ? 0.02 : 0) - 0.2 * missing;
    return { score, match: missing > 0 ? 'fuzzy' : qualityClass(worst) };
  }

  /** Every indexed word one typed word may mean, each with how well it matches. */
  private termMatches(word: string, isLast: boolean): TermMatches {
    const matches: TermMatches = new Map();
    const put = (id: number | undefined, quality: number) => {
      if (id !== undefined && (matches.get(id) ?? 0) < quality) matches.set(id, quality);
    };
    put(this.tokenIds.get(word), EXACT);
    for (const expansion of expansionsOf(word)) put(this.tokenIds.get(expansion), EXPANDED);
    // A postcode district among the words ("shirley road s015") with a look-alike character: read as the format
    // needs, counted as a typo.
    if (!this.tokenIds.has(word) && word.length <= 4 && /\d/.test(word)) {
      for (const reading of postcodeReadings(word)) put(this.tokenIds.get(reading.compact.toLowerCase()), ONE_TYPO);
    }

    // Completions: always for the word being typed, and for any word of three letters or more ("shirl rd").
    if (word.length >= 3 || isLast) {
      const end = word + '\uffff';
      for (let i = lowerBound(this.vocab, word), n = 0; i < this.vocab.length && this.vocab[i]! < end && n < MAX_PREFIX_TOKENS; i++, n++) {
        const candidate = this.vocab[i]!;
        if (candidate !== word) put(i, PREFIX_BASE + (PREFIX_SPAN * word.length) / candidate.length);
      }
    }

    // Typos: one edit in a word of four letters or more, two in a word of eight or more. Never in codes and
    // numbers: "A35" is not a misspelt "A33", nor "SO155" a misspelt "SO15".
    if (word.length >= 4 && !/\d/.test(word)) {
      const maxEdits = word.length >= 8 ? 2 : 1;
      const candidates = new Set<number>();
      const collect = (key: string) => {
        const id = this.tokenIds.get(key);
        if (id !== undefined) candidates.add(id);
        for (const other of this.deletions.get(key) ?? []) candidates.add(other);
      };
      for (const other of this.deletions.get(word) ?? []) candidates.add(other);
      const firstDeletions = oneDeletions(word);
      for (const deleted of firstDeletions) collect(deleted);
      if (maxEdits === 2) for (const deleted of firstDeletions) for (const twice of oneDeletions(deleted)) collect(twice);
      for (const id of candidates) {
        if ((matches.get(id) ?? 0) >= PREFIX_BASE) continue;
        const distance = editDistance(word, this.vocab[id]!, maxEdits);
        if (distance === 1) put(id, ONE_TYPO);
        else if (distance === 2 && maxEdits === 2) put(id, TWO_TYPOS);
      }
    }
    return matches;
  }

  private costOf(term: TermMatches): number {
    let cost = 0;
    for (const id of term.keys()) cost += this.postings[id]!.length;
    return cost;
  }
}

function qualityClass(quality: number): MatchQuality {
  return quality >= EXPANDED ? 'exact' : quality >= PREFIX_BASE ? 'partial' : 'fuzzy';
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n >>> 0; v; v &= v - 1) count++;
  return count;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The best `limit` hits seen so far, each entry once. Ties go to the more prominent entry, then by name and
 * district, so the order never depends on the walk.
 */
class TopHits {
  private readonly best = new Map<number, { score: number; match: MatchQuality; readAs: string | null }>();
  private floor = -Infinity;

  constructor(
    private readonly limit: number,
    private readonly entries: readonly GazetteerEntry[],
  ) {}

  offer(index: number, score: number, match: MatchQuality, readAs: string | null = null): void {
    if (score < this.floor) return;
    const previous = this.best.get(index);
    if (previous && previous.score >= score) return;
    this.best.set(index, { score, match, readAs });
    // Keep the map small: past a few times the limit, drop everything below the limit-th best.
    if (this.best.size > this.limit * 8) this.prune();
  }

  sorted(): SearchHit[] {
    return [...this.best.entries()]
      .map(([index, { score, match, readAs }]) => ({ index, entry: this.entries[index]!, score, match, readAs }))
      .sort((a, b) => this.compare(a, b))
      .slice(0, this.limit);
  }

  private prune(): void {
    const kept = this.sorted();
    this.best.clear();
    for (const hit of kept) this.best.set(hit.index, { score: hit.score, match: hit.match, readAs: hit.readAs });
    this.floor = kept[kept.length - 1]?.score ?? -Infinity;
  }

  private compare(a: SearchHit, b: SearchHit): number {
    if (a.score !== b.score) return b.score - a.score;
    if (a.entry.weight !== b.entry.weight) return b.entry.weight - a.entry.weight;
    if (a.entry.name !== b.entry.name) return a.entry.name < b.entry.name ? -1 : 1;
    const da = a.entry.district ?? '';
    const db = b.entry.district ?? '';
    if (da !== db) return da < db ? -1 : 1;
    return a.index - b.index;
  }
}
