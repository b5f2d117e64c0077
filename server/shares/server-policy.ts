import type { SharePolicy } from '../../shared/domain/partition';
import type { ShareBook } from './share-book';

/**
 * Where the server gets the policy that lets a force see another's records: the one place every reason to show a
 * record to a force that does not own it is put together (anyOf in shared/domain/partition.ts). Today: incidents
 * shared between forces. Read again at each use, as the book changes.
 */
export function serverSharePolicy(shares: ShareBook): SharePolicy {
  return shares.policy();
}
