import { z } from 'zod';

/**
 * A force's code, as its configuration names it (`force.code`: "DMO", "NBR"): short, upper-case letters and digits.
 * Every record carries the code of the force that owns it; operators and workstations belong to one force.
 */
export const ForceCode = z.string().regex(/^[A-Z][A-Z0-9]{1,7}$/, 'a force code: 2 to 8 capital letters or digits, starting with a letter');
export type ForceCode = z.infer<typeof ForceCode>;

/**
 * The force every record, operator and workstation belonged to before records carried a force: the demonstration
 * force. The migrations give it to what was there; nothing else may assume it.
 */
export const FIRST_FORCE: ForceCode = 'DMO';
