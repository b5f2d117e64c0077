import type { SharePolicy } from '../shared/domain/partition';
import { loanPolicy } from '../shared/domain/loan-policy';

/**
 * Where the server gets its SharePolicy: the reasons a force may see or change a record another force owns. Every
 * place that applies the partition (pull and live changes, pokes, commands) asks this one function, so a new reason
 * (an incident's share) is added here, beside the others, with anyOf (shared/domain/partition.ts).
 */
export function serverSharePolicy(): SharePolicy {
  return loanPolicy;
}
