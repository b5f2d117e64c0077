import { mayUseChannel } from '../../../shared/contract/channel-access';
import type { ChannelNameList } from '../../../shared/contract/channel-names';
import { mayIssue } from '../../../shared/domain/operator';
import { useConsole } from '../../state/use-console';

/** Whether the signed-in operator's roles allow a command: the console offers only what the server will accept. */
export function useMay(command: string): boolean {
  return useConsole((s) => mayIssue(s.session?.operator ?? undefined, command));
}

/**
 * Whether the signed-in operator may use a channel of the core (shared/contract/channel-access.ts), on this
 * workstation (a trainer watches an exercise's records): a desk asks only what the core will answer, so a role
 * without a read sees no error for it, and no panel that would need it.
 */
export function useMayUse(channel: ChannelNameList): boolean {
  return useConsole((s) => mayUseChannel(s.session?.operator, channel, { training: s.exercise !== null }));
}
