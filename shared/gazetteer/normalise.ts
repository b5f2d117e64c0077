/**
 * How the gazetteer reads text, for entries and for queries alike: lower case, accents and apostrophes gone
 * ("St. Mary's" is "st marys"), "&" as "and", anything else that is not a letter or digit a space.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function tokenise(text: string): string[] {
  const normal = normaliseText(text);
  return normal ? normal.split(' ') : [];
}

/** Words that do not make a name different: "Polygon" finds "The Polygon" as well as "the polygon" does. */
export const STOP_WORDS: ReadonlySet<string> = new Set(['the', 'of', 'and']);

/**
 * What a typed word may stand for, as call handlers abbreviate and as Royal Mail and OS data spell. A query word
 * is tried as itself and as each of these; the stored names keep their own spelling ("St Mary Street").
 */
const ABBREVIATIONS: Record<string, readonly string[]> = {
  rd: ['road'],
  st: ['street', 'saint'],
  str: ['street'],
  saint: ['st'],
  ave: ['avenue'],
  av: ['avenue'],
  ln: ['lane'],
  cl: ['close'],
  cres: ['crescent'],
  cresc: ['crescent'],
  dr: ['drive'],
  gdns: ['gardens'],
  gdn: ['gardens'],
  gr: ['grove'],
  gro: ['grove'],
  grv: ['grove'],
  pl: ['place'],
  sq: ['square'],
  tce: ['terrace'],
  terr: ['terrace'],
  ct: ['court'],
  pk: ['park'],
  pde: ['parade'],
  prom: ['promenade'],
  hwy: ['highway'],
  wy: ['way'],
  mt: ['mount'],
  nth: ['north'],
  sth: ['south'],
  upr: ['upper'],
  lwr: ['lower'],
  gt: ['great'],
  lt: ['little'],
  lit: ['little'],
  hosp: ['hospital'],
  sch: ['school'],
  stn: ['station'],
  est: ['estate'],
  ind: ['industrial'],
  ctr: ['centre'],
  center: ['centre'],
  hse: ['house'],
  bldgs: ['buildings'],
  cp: ['car', 'park'],
  rly: ['railway'],
  ps: ['police'],
  nick: ['police'],
};

export function expansionsOf(word: string): readonly string[] {
  return Object.hasOwn(ABBREVIATIONS, word) ? ABBREVIATIONS[word]! : [];
}

/** A house or flat number ("12", "4a"): said in nearly every call, found in no gazetteer entry, so not required. */
export function isHouseNumber(word: string): boolean {
  return /^\d{1,4}[a-z]?$/.test(word);
}
