import { z } from 'zod';
import { ForceConfig } from '../domain/force-config';
import { LocationText, LogText } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { IncidentView, LogEntryView, Session, SyncStatus } from './views';
import { AreaManifest } from '../area/manifest';
import { GazetteerResult } from '../gazetteer/entry';
import { CHANNEL_NAMES, type ChannelNameList } from './channel-names';

/**
 * The API between a renderer window and the console core: every request channel and every pushed event, each
 * with its schema, declared once. Both hosts register exactly these channels; every message is validated on
 * arrival at either end. The renderer knows nothing else of the core.
 */
export const channels = {
  'session.get': { request: z.object({}).strict(), response: Session },
  'config.get': { request: z.object({}).strict(), response: ForceConfig },
  'incidents.list': {
    request: z.object({ status: z.enum(['open', 'all']).default('open') }).strict(),
    response: z.object({ incidents: z.array(IncidentView) }),
  },
  'incidents.get': {
    request: z.object({ id: Uuid }).strict(),
    response: z.object({ incident: IncidentView, log: z.array(LogEntryView) }),
  },
  'incidents.create': {
    request: z
      .object({
        type: z.string().min(1, 'choose an incident type'),
        locationText: LocationText,
        grade: z.string().min(1, 'choose a grade'),
        firstLog: LogText.nullable(),
      })
      .strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.addLog': {
    request: z.object({ incidentId: Uuid, text: LogText }).strict(),
    response: z.object({ entry: LogEntryView }),
  },
  'sync.status': { request: z.object({}).strict(), response: SyncStatus },
  /** The area this workstation shows: what windows need to draw its map. */
  'area.get': { request: z.object({}).strict(), response: AreaManifest },
  /** Streets, postcodes, places and landmarks matching what was typed, best first; searched in the core. */
  'gazetteer.search': {
    request: z
      .object({
        query: z.string().max(200, 'a search is at most 200 characters'),
        limit: z.number().int().min(1).max(50).default(8),
      })
      .strict(),
    response: z.object({ query: z.string(), results: z.array(GazetteerResult) }),
  },
} as const;

export const events = {
  /** Incidents whose documents changed, locally or from the server. */
  'incidents.changed': z.object({ incidents: z.array(IncidentView) }),
  /** Log entries added or confirmed. */
  'log.changed': z.object({ entries: z.array(LogEntryView) }),
  'sync.status': SyncStatus,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export const channelNames: readonly ChannelName[] = CHANNEL_NAMES;
export const eventNames = Object.keys(events) as EventName[];

// The name list the preload uses and the table above must name the same channels; this fails to compile if not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAgree: Same<ChannelName, ChannelNameList> = true;
void namesAgree;

export { isChannelName } from './channel-names';

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
