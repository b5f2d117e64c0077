/**
 * The channel names alone, without their schemas: what the Electron preload needs to refuse anything else,
 * without carrying the validation library into every window's preload. channels.ts proves the two lists agree.
 */
export const CHANNEL_NAMES = [
  'session.get',
  'session.signIn',
  'session.signOut',
  'config.get',
  'clock.now',
  'clock.nextTime',
  'incidents.list',
  'incidents.get',
  'incidents.find',
  'incidents.create',
  'incidents.addLog',
  'incidents.update',
  'incidents.close',
  'incidents.takeOwnership',
  'incidents.reopen',
  'incidents.changeType',
  'incidents.regrade',
  'incidents.decideDowngrade',
  'incidents.assessRisk',
  'incidents.link',
  'incidents.duplicates',
  'history.lookup',
  'contacts.queue',
  'contacts.answer',
  'contacts.end',
  'contacts.attach',
  'contacts.record',
  'contacts.unrecorded',
  'contacts.disposed',
  'tasks.list',
  'tasks.claim',
  'tasks.attempt',
  'tasks.complete',
  'markers.list',
  'markers.add',
  'drafts.get',
  'drafts.save',
  'drafts.clear',
  'units.list',
  'units.assign',
  'desk.report',
  'desk.save',
  'desk.layout',
  'desk.reportFault',
  'units.recommend',
  'units.deploy',
  'units.setDuty',
  'units.answerShiftEnd',
  'units.positions',
  'assignments.setStatus',
  'assignments.confirmByRadio',
  'assignments.answerLateRejection',
  'alarms.sound',
  'conflicts.list',
  'conflicts.resolve',
  'sync.status',
  'sync.deadLetters',
  'store.health',
  'sync.checkAgain',
  'refusals.list',
  'refused.redo',
  'refused.dismiss',
  'area.get',
  'gazetteer.search',
] as const;

export type ChannelNameList = (typeof CHANNEL_NAMES)[number];

/**
 * The channels that only read: a window may ask them again freely. Every other channel is an action, which the
 * core does at most once per request id (main/core/request-ledger.ts).
 */
const READ_CHANNELS: ReadonlySet<string> = new Set<ChannelNameList>([
  'session.get',
  'config.get',
  'clock.now',
  'clock.nextTime',
  'incidents.list',
  'incidents.get',
  'incidents.find',
  'incidents.duplicates',
  'history.lookup',
  'contacts.queue',
  'contacts.unrecorded',
  'contacts.disposed',
  'tasks.list',
  'markers.list',
  'drafts.get',
  'desk.layout',
  'units.list',
  'units.recommend',
  'units.positions',
  'conflicts.list',
  'sync.status',
  'sync.deadLetters',
  'refusals.list',
  'store.health',
  'area.get',
  'gazetteer.search',
]);

export function isReadChannel(name: string): boolean {
  return READ_CHANNELS.has(name);
}

export function isChannelName(name: unknown): name is ChannelNameList {
  return typeof name === 'string' && (CHANNEL_NAMES as readonly string[]).includes(name);
}
