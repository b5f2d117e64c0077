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
