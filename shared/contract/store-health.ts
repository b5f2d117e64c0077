import { z } from 'zod';
import { Instant } from '../domain/time';

/**
 * Why the workstation's own file is refusing writes: its disk is full, another program (a backup, an inspection
 * tool) holds the database, or the disk refused for another reason.
 */
export const StoreFaultKind = z.enum(['disk_full', 'locked', 'io_error']);
export type StoreFaultKind = z.infer<typeof StoreFaultKind>;

/** Whether the workstation can save, shown in every window while it cannot. */
export const StoreHealth = z.object({
  /** Null while the store takes writes. */
  fault: StoreFaultKind.nullable(),
  /** When the current fault was first met. */
  since: Instant.nullable(),
  /** Events from outside (calls, terminal receipts) held until the store can take them, applied then in order. */
  waiting: z.number().int().nonnegative(),
});
export type StoreHealth = z.infer<typeof StoreHealth>;
