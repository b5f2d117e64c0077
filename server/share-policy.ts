import { anyOf, type SharePolicy } from '../shared/domain/partition';
import { loanPolicy } from '../shared/domain/loan-policy';
import { crossForcePolicy } from '../shared/domain/cross-force-policy';
import type { ShareBook } from './shares/share-book';

/**
 * Where the server gets its SharePolicy: every reason a force may see or change a record another force owns, put
 * together in this one place (anyOf, shared/domain/partition.ts): a unit lent to it (shared/domain/loan-policy.ts),
 * an arrangement or an incident offered to it (shared/domain/cross-force-policy.ts), and an incident shared with it
 * (the share book's records, shared/domain/share-policy.ts). Every place that applies
 * the partition (pull and live changes, pokes, commands) asks this function. Without a book (a command's own check,
 * which shares never widen: a share lets a force see, not change): the loans, arrangements and offers alone.
 */
export function serverSharePolicy(shares?: ShareBook): SharePolicy {
  return shares ? anyOf(shares.policy(), loanPolicy, crossForcePolicy) : anyOf(loanPolicy, crossForcePolicy);
}
