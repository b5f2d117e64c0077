/**
 * UK postcodes as the gazetteer keys them: upper case with no spaces ("SO155AA"), so that "so15 5aa", "SO155AA"
 * and "SO15 5AA" are the same. The unit ("SO15 5AA"), its sector ("SO15 5") and district ("SO15") are all entries.
 */
export function compactPostcode(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A full unit postcode, compact: outward code (area, district) then inward code (sector digit, unit letters). */
const UNIT = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/** Splits a compact unit postcode into its printed form, sector and district; null if it is not one. */
export function parseUnitPostcode(text: string): { unit: string; sector: string; district: string; area: string } | null {
  const match = UNIT.exec(compactPostcode(text));
  if (!match) return null;
  const [, outward, inward] = match as unknown as [string, string, string];
  return {
    unit: `${outward} ${inward}`,
    sector: `${outward} ${inward[0]}`,
    district: outward,
    area: /^[A-Z]+/.exec(outward)![0],
  };
}

/**
 * Whether a query could be (the start of) a postcode: letters then a digit, at most seven characters without
 * spaces. "SO15", "so155", "SO15 5A" are; "Shirley" is not. Road numbers ("A33") look the same, so the
 * gazetteer also searches words whenever it searches postcodes.
 */
export function looksLikePostcode(query: string): boolean {
  const compact = compactPostcode(query);
  return compact.length >= 2 && compact.length <= 7 && /^[A-Z]{1,2}[0-9][A-Z0-9]*$/.test(compact) && /^[A-Za-z0-9\s]+$/.test(query.trim());
}

/**
 * Characters a caller's or a handler's postcode has in place of one another: the letter O and zero, I (or L) and
 * one, S and five, Z and two, B and eight. Where the postcode's format needs a letter, a digit is read as its
 * look-alike letter, and the other way round; where either would do, what was typed stands.
 */
const AS_LETTER: Readonly<Record<string, readonly string[]>> = { '0': ['O'], '1': ['I', 'L'], '5': ['S'], '2': ['Z'], '8': ['B'] };
const AS_DIGIT: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1', S: '5', Z: '2', B: '8' };

/**
 * The shapes of a unit postcode, L a letter and D a digit, with the length of the outward code: A9 9AA, A99 9AA,
 * AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA.
 */
const SHAPES: readonly { classes: string; outward: number }[] = [
  { classes: 'LDDLL', outward: 2 },
  { classes: 'LDDDLL', outward: 3 },
  { classes: 'LLDDLL', outward: 3 },
  { classes: 'LLDDDLL', outward: 4 },
  { classes: 'LDLDLL', outward: 3 },
  { classes: 'LLDLDLL', outward: 4 },
];

/** One way of reading a typed postcode with its look-alike characters corrected. */
export interface PostcodeReading {
  /** As the gazetteer keys postcodes: "SO155". */
  compact: string;
  /** As printed: with the space after the outward code where that is known ("SO15 5QF", "SO15 5"), else as typed. */
  printed: string;
  /** How many typed characters were read as their look-alikes. */
  changes: number;
}

/**
 * The readings of a typed (part of a) postcode in which the characters a shape's positions cannot take are read
 * as their look-alikes: "S015 5AA" (zero for O) is SO15 5AA, "SO1S 5AA" is SO15 5AA, "SOI5" is SO15. A character
 * the position can take stays as typed; a typed space marks the end of the outward code. Fewest changes first;
 * readings that change nothing are left out, so an empty list means no correction makes the text fit (or it has
 * no digit). Several readings may fit (1 as I or L; S015 as SO15 or, with two changes, SO1S): which exist is for
 * the gazetteer to say, and it offers them as corrections, never in place of what was typed.
 */
export function postcodeReadings(typed: string): PostcodeReading[] {
  const trimmed = typed.trim().toUpperCase();
  // Letters alone are a word being typed ("Bl" for Blackpool is not B1): every postcode has a digit, and one typed
  // with look-alikes keeps some.
  if (!/^[A-Z0-9]+( ?[A-Z0-9]+)?$/.test(trimmed) || !/\d/.test(trimmed)) return [];
  const space = trimmed.indexOf(' ');
  const compact = trimmed.replace(' ', '');
  if (compact.length < 2 || compact.length > 7) return [];
  const readings = new Map<string, PostcodeReading>();
  for (const shape of SHAPES) {
    if (compact.length > shape.classes.length) continue;
    // A typed space says where the outward code ends: only shapes whose outward code ends there.
    if (space >= 0 && space !== shape.outward) continue;
    let variants = [''];
    for (let i = 0; i < compact.length && variants.length; i++) {
      const options = readAs(compact[i]!, shape.classes[i] as 'L' | 'D');
      variants = variants.flatMap((v) => options.map((c) => v + c));
    }
    for (const variant of variants) {
      let changes = 0;
      for (let i = 0; i < variant.length; i++) if (variant[i] !== compact[i]) changes++;
      if (changes === 0 || readings.has(variant)) continue;
      // Where the outward code ends is known from a typed space or a whole unit; a part typed without a space
      // ("SO155": SO15 5 or SO1 55?) is printed as typed.
      const split = (space >= 0 || variant.length === shape.classes.length) && variant.length > shape.outward;
      const printed = split ? `${variant.slice(0, shape.outward)} ${variant.slice(shape.outward)}` : variant;
      readings.set(variant, { compact: variant, printed, changes });
    }
  }
  return [...readings.values()].sort((a, b) => a.changes - b.changes || (a.compact < b.compact ? -1 : a.compact > b.compact ? 1 : 0));
}

/** What a typed character may be at a position that needs a letter (L) or a digit (D): itself, or its look-alikes. */
function readAs(char: string, needs: 'L' | 'D'): readonly string[] {
  const isLetter = char >= 'A' && char <= 'Z';
  if (needs === 'L') return isLetter ? [char] : (AS_LETTER[char] ?? []);
  if (!isLetter) return [char];
  const digit = AS_DIGIT[char];
  return digit ? [digit] : [];
}
