import type { LinkBlock, SyncStatus } from '../../../shared/contract/views';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { plural } from '../../app/format';

/** The connection line in words, not only colour, so nobody has to guess what amber means at 3 a.m. */
export function describeConnection(sync: SyncStatus | null, linkUp: boolean, wall: WallClock | null): { state: string; text: string } {
  if (!linkUp) return { state: 'core-lost', text: 'Console core unreachable — reconnecting' };
  if (!sync || sync.connection === 'connecting') return { state: 'connecting', text: 'Connecting to the central server…' };
  const waiting = `${plural(sync.pending, 'command')} waiting to send`;
  const since = sync.offlineSince && wall ? ` since ${wall.time(sync.offlineSince)}` : '';
  switch (sync.connection) {
    case 'online':
      return { state: 'online', text: sync.pending > 0 ? `Online — sending ${plural(sync.pending, 'command')}` : 'Online' };
    case 'reconnecting':
      return { state: 'reconnecting', text: `Reconnecting (offline${since}) — ${waiting}` };
    case 'offline':
      return { state: 'offline', text: `Offline${since} — ${waiting}` };
    case 'blocked':
      return { state: 'blocked', text: sync.blocked ? `${describeBlock(sync.blocked, wall)} — ${plural(sync.pending, 'command')} kept ${sync.blocked.kind === 'access_withdrawn' ? 'on this workstation' : 'until then'}` : `Blocked — ${waiting}` };
  }
}

/**
 * What stops the link, and what to do about it, in the words of the person who has to act. `wall` gives the time of a
 * revocation in the force's time (without it, the instant as the server gave it).
 */
export function describeBlock(block: LinkBlock, wall: WallClock | null = null): string {
  switch (block.kind) {
    case 'upgrade_workstation':
      return `This workstation needs updating: the server requires version ≥ ${block.accepts?.min ?? block.speaks + 1} (this one is ${block.speaks})`;
    case 'upgrade_server':
      return `The server needs updating: it accepts workstation versions up to ${block.accepts?.max ?? block.speaks - 1} (this one is ${block.speaks}); tell your administrator`;
    case 'not_enrolled':
      return 'Not enrolled with the server: ask your administrator for an enrolment key';
    case 'enrolment_revoked':
      return 'Enrolment revoked: ask your administrator for a new enrolment key';
    case 'access_withdrawn': {
      const at = block.withdrawn ? (wall ? wall.dateTimeZoned(block.withdrawn.at) : block.withdrawn.at) : null;
      const why = block.withdrawn?.reason ? ` (${block.withdrawn.reason})` : '';
      return `An administrator withdrew this workstation’s access${at ? ` at ${at}` : ''}${why}: it can no longer reach the server, and no enrolment key will restore it. Carry on at another workstation and tell your supervisor`;
    }
    case 'server_forgot':
      return 'The server has lost commands it had taken from this workstation, or changes it had sent it (restored from an older copy?): tell your administrator';
    case 'server_untrusted':
      return 'Not connecting: the server’s certificate is not trusted here (not from the force’s certificate authority given with --ca, expired, or for another name): tell your administrator';
    case 'wrong_mode':
      return block.detail || 'The server and this workstation are not of the same mode (live or training): it refuses every request';
    case 'name_taken':
      return block.detail || 'Another workstation has already joined the exercise under this workstation’s name: start this one with --workstation and a name of its own';
    case 'refused':
      return 'The server refuses this workstation’s requests: tell your administrator';
  }
}

/** The refused-list alert: how many wait, and which of them were too large for the server. */
export function describeRefused(sync: SyncStatus, withKey = true): string {
  // The administration window has no refused list to open: the room's windows (a supervisor's) do.
  const key = withKey ? ' — Shift+F8' : '';
  if (sync.tooLarge === sync.deadLetters) return `${sync.tooLarge === 1 ? 'A command' : `${sync.tooLarge} commands`} too large for the server: in the refused list${key}`;
  const tooLarge = sync.tooLarge > 0 ? ` (${sync.tooLarge} too large for it)` : '';
  return `${plural(sync.deadLetters, 'command')} refused by the server${tooLarge}${key}`;
}
