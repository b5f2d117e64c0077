import { anyOf, type SharePolicy } from './partition';
import { sharePolicyOf, type CommonPriorityOf, type TypeNameOf } from './share-policy';
import { loanPolicy } from './loan-policy';
import { crossForcePolicy } from './cross-force-policy';
import type { Share } from './share';

/**
 * The policy one command is checked by, before it changes another force's record, on the workstation (to refuse at
 * once) and on the server (to decide): the shares the command's force holds of the incidents it reads, as they stand,
 * and every grant the records carry themselves: a unit lent to it (loan-policy.ts), an arrangement or an incident
 * offered to it (cross-force-policy.ts). The one place both sides build it, so neither forgets a kind of grant.
 * The cut's common priority and type name play no part in what a command may write; the server gives them
 * (`names`) for the copy of the record a conflict keeps, which the holder's inbox shows as any share's cut.
 */
export function commandPolicy(shares: readonly Share[], names?: CutNames): SharePolicy {
  return anyOf(sharePolicyOf(shares, names?.commonPriorityOf ?? (() => null), names?.typeNameOf), loanPolicy, crossForcePolicy);
}

/** How a share's cut names the owner's grade and type for the holder (shared/domain/share-cut.ts). */
export interface CutNames {
  commonPriorityOf: CommonPriorityOf;
  typeNameOf: TypeNameOf;
}
