/**
 * The common incident codes: one small vocabulary that every force's incident types map to in its configuration
 * (`incidentTypes[].commonCode`), as NENA EIDO's incident type registry and the national incident category list let
 * agencies with their own type lists exchange work. Each force keeps its own codes and names (DMO's FIREARMS,
 * Northbridge's WEAPON); the common code is what says they are the same kind of incident, so an incident transferred
 * between forces becomes the new force's type of the same common code (shared/domain/transfer.ts).
 *
 * `nearest` lists, nearest first, the codes a dispatcher would reach for when a force has no type of this code (a
 * force with no plain theft type is nearest with its shoplifting one). It only proposes a type: the incident's log
 * says plainly that no equivalent exists and the dispatcher must choose. It is part of the vocabulary, not of a
 * force's configuration, so both sides of a border read it alike.
 *
 * A code is lower case, words joined by hyphens. Adding one is a change here (and to the forces that use it);
 * renaming or removing one strands the configurations that name it, which are then refused at load.
 */
export const COMMON_INCIDENT_CODES = {
  'anti-social-behaviour': { name: 'Anti-social behaviour', nearest: ['public-order', 'suspicious-circumstances'] },
  'public-order': { name: 'Public order or disorder', nearest: ['anti-social-behaviour', 'assault'] },
  'suspicious-circumstances': { name: 'Suspicious circumstances', nearest: ['anti-social-behaviour', 'concern-for-welfare'] },
  'intruder-alarm': { name: 'Intruder alarm activation', nearest: ['burglary-other', 'burglary-dwelling'] },
  assault: { name: 'Assault or violence against the person', nearest: ['domestic-abuse', 'public-order'] },
  'domestic-abuse': { name: 'Domestic abuse', nearest: ['assault', 'concern-for-welfare'] },
  firearms: { name: 'Firearms or weapon seen or used', nearest: ['assault'] },
  'burglary-dwelling': { name: 'Burglary of a dwelling', nearest: ['burglary-other', 'theft'] },
  'burglary-other': { name: 'Burglary of other premises', nearest: ['burglary-dwelling', 'theft'] },
  theft: { name: 'Theft', nearest: ['theft-shop', 'burglary-other'] },
  'theft-shop': { name: 'Shoplifting', nearest: ['theft'] },
  'criminal-damage': { name: 'Criminal damage', nearest: ['anti-social-behaviour', 'theft'] },
  fraud: { name: 'Fraud or scam', nearest: ['theft'] },
  'concern-for-welfare': { name: 'Concern for safety or welfare', nearest: ['missing-person'] },
  'missing-person': { name: 'Missing person', nearest: ['concern-for-welfare'] },
  'road-traffic-collision': { name: 'Road traffic collision', nearest: [] },
} as const satisfies Record<string, { name: string; nearest: readonly string[] }>;

export type CommonIncidentCode = keyof typeof COMMON_INCIDENT_CODES;

/** Whether a code (from a configuration file, say) is in the vocabulary. */
export function isCommonIncidentCode(code: string): code is CommonIncidentCode {
  return Object.prototype.hasOwnProperty.call(COMMON_INCIDENT_CODES, code);
}

/**
 * What is wrong with a force's incident types' common codes, in words (empty when nothing is): a code outside the
 * vocabulary, or one code given to two types (a transfer would not know which of them is meant).
 */
export function commonIncidentCodeProblems(types: readonly { code: string; commonCode: string }[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const type of types) {
    if (!isCommonIncidentCode(type.commonCode)) {
      problems.push(`incident type ${type.code} has unknown common code ${JSON.stringify(type.commonCode)} (the common codes are: ${Object.keys(COMMON_INCIDENT_CODES).join(', ')})`);
      continue;
    }
    const before = seen.get(type.commonCode);
    if (before) problems.push(`incident types ${before} and ${type.code} both have common code ${type.commonCode}: each common code may name one type of a force, so a transfer knows which is meant`);
    else seen.set(type.commonCode, type.code);
  }
  return problems;
}
