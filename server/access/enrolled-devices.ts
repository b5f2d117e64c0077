import type { EnrolledDevice, ServerStorage } from '../storage/storage';

/** Device tokens remembered at most; past it the copy starts again (a room has hundreds of workstations, not thousands). */
const MOST_DEVICES = 10_000;

/**
 * The server's copy of the enrolled workstations, by device token hash, for admitting a push without a round trip to
 * the database of its own (issue 15: each was one of a command's six statements). Only pushes use it, and never
 * alone: the push's transaction reads the device again (ServerStorage.processBatch's `assumed.device`), and a push
 * whose token no longer admits its workstation (revoked, or enrolled again with a new token, here or at another
 * instance) is refused there, whole, and the request asked afresh (`forget`, then the storage) to say why. Every
 * other request (pull, sign-in, the live channel, administration) asks the storage each time: those answer with
 * records at once, so a revoked workstation must be turned away before anything is read. Only admitted devices are
 * kept: a token the storage does not admit is asked about again each time, and refused with its reason.
 */
export class EnrolledDevices {
  private readonly known = new Map<string, EnrolledDevice>();

  constructor(private readonly storage: Pick<ServerStorage, 'deviceByTokenHash'>) {}

  /** The workstation this token hash admits, null for none: the copy's, or the storage's (and kept). */
  async byTokenHash(tokenHash: string): Promise<EnrolledDevice | null> {
    const known = this.known.get(tokenHash);
    if (known) return known;
    const device = await this.storage.deviceByTokenHash(tokenHash);
    if (!device) return null;
    if (this.known.size >= MOST_DEVICES) this.known.clear();
    this.known.set(tokenHash, device);
    return device;
  }

  /** The storage no longer admits this token's workstation: ask it afresh when next asked. */
  forget(tokenHash: string): void {
    this.known.delete(tokenHash);
  }
}
