import type { FollowedBy } from '../../../shared/domain/conflict';
import { useWallClock } from '../../app/format';
import { describeCommand } from '../conflicts/describe-command';
import { useRecordNames } from '../conflicts/use-record-names';

/**
 * The commands refused only because this refused one was (Refusal.followedBy: a status press or a log line on the
 * record it would have made), as the room's refusal record keeps them: " and 2 actions refused with it" for a row,
 * and, for the chosen one, the list of them. Nothing when none followed.
 */
export function refusedWithItWords(followedBy: readonly FollowedBy[] | undefined): string {
  const n = followedBy?.length ?? 0;
  return n === 0 ? '' : `, and ${n} action${n === 1 ? '' : 's'} refused with it`;
}

export function RefusedWithIt({ followedBy }: { followedBy: readonly FollowedBy[] | undefined }) {
  const wall = useWallClock();
  const names = useRecordNames();
  if (!followedBy?.length) return null;
  return (
    <ul aria-label="Refused with it" className="refused-with-it">
      {followedBy.map((f) => (
        <li key={f.commandId}>
          {describeCommand(f.commandName, f.args, names)} — {f.operator}, {wall.timeWithSeconds(f.issuedAt)}
        </li>
      ))}
    </ul>
  );
}
