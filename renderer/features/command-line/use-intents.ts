import type { Intent } from '../../../shared/command-line/grammar';
import { VERBS } from '../../../shared/command-line/grammar';
import type { IncidentView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import { describeLocation } from '../../../shared/domain/location';
import { matchReference } from '../../../shared/domain/reference';
import type { CordonApi } from '../../api/cordon-api';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { consoleNow } from '../../app/console-clock';
import { typeName } from '../incidents/describe';

type DeskVerbs = Partial<Record<'new' | 'answer' | 'attach' | 'record', (intent: Intent) => Promise<string>>>;

/**
 * The one incident a typed reference names, or an error saying why not: none, several it starts, or (data from
 * before provisional references were unique) several bearing it, each listed so the operator can pick by the
 * force reference.
 */
export async function findByReference(api: CordonApi, reference: string): Promise<IncidentView> {
  const { incidents } = await api.call('incidents.find', { reference });
  const match = matchReference(reference, incidents);
  if (match.kind === 'one') return match.incident;
  if (match.kind === 'none') throw new Error(`no incident ${reference}`);
  if (!match.exact) throw new Error(`${reference} matches ${match.incidents.length} incidents; type more of it`);
  const each = match.incidents.map((i) => `${i.reference ?? 'not yet confirmed'} at ${describeLocation(i.location)}`);
  throw new Error(`${reference} is ${match.incidents.length} incidents: ${each.join('; ')}. Use the force reference`);
}

/**
 * Carries out what the command line asked for: the verbs every desk shares here, and the desk's own (a new
 * incident, answering, attaching the call) from `desk`. Each answer is what the operator is told.
 */
export function useIntents(target: IncidentView | null, desk: DeskVerbs): (intent: Intent) => Promise<string> {
  const api = useApi();
  const select = useConsole((s) => s.select);
  const units = useConsole((s) => s.units);
  const wall = useWallClock();
  const config = useConsole((s) => s.config);

  const needTarget = (): IncidentView => {
    if (!target) throw new Error('select an incident first: the command acts on the incident shown beside it');
    return target;
  };
  const byReference = (reference: string) => findByReference(api, reference);

  return async (intent) => {
    switch (intent.verb) {
      case 'new':
      case 'answer':
      case 'attach':
      case 'record': {
        const verb = desk[intent.verb];
        if (!verb) throw new Error(`${intent.verb.toUpperCase()} is for the call-taking window`);
        return verb(intent);
      }
      case 'log': {
        const incident = needTarget();
        await api.call('incidents.addLog', { incidentId: incident.id, text: intent.text });
        return `Logged on ${displayReference(incident)}`;
      }
      case 'grade': {
        const incident = needTarget();
        const { incident: after } = await api.call('incidents.regrade', { incidentId: incident.id, grade: intent.grade, reason: intent.reason });
        return after.pendingDowngrade ? `Downgrade of ${displayReference(after)} waits for a supervisor` : `${displayReference(after)} is grade ${after.grade}`;
      }
      case 'close': {
        const incident = needTarget();
        await api.call('incidents.close', { incidentId: incident.id, closingCode: intent.closingCode, incidentVersion: incident.version });
        return `${displayReference(incident)} closed (${intent.closingCode})`;
      }
      case 'reopen': {
        const incident = needTarget();
        const { incident: after } = await api.call('incidents.reopen', { incidentId: incident.id, reason: intent.reason, incidentVersion: incident.version });
        return `${displayReference(after)} reopened: back in the queue, its attendance clock running again`;
      }
      case 'take': {
        const incident = needTarget();
        const { incident: after } = await api.call('incidents.takeOwnership', { incidentId: incident.id, incidentVersion: incident.version });
        return `${displayReference(after)} is yours: taken from its queue`;
      }
      case 'type': {
        const incident = needTarget();
        const { incident: after } = await api.call('incidents.changeType', { incidentId: incident.id, type: intent.type, reason: intent.reason });
        return `${displayReference(after)} is now ${typeName(config, after.type)}: assess its risk again`;
      }
      case 'link':
      case 'unlink': {
        const incident = needTarget();
        const other = await byReference(intent.reference);
        await api.call('incidents.link', { incidentId: incident.id, otherId: other.id, unlink: intent.verb === 'unlink' });
        return `${displayReference(incident)} ${intent.verb === 'link' ? 'linked to' : 'no longer linked to'} ${displayReference(other)}`;
      }
      case 'assign': {
        const incident = needTarget();
        const unit = Object.values(units).find((u) => u.callSign === intent.callSign);
        if (!unit) throw new Error(`no unit ${intent.callSign}`);
        // The core places the typed time: by its clock, in the force's zone (a time that does not exist, or comes
        // twice, is refused there with the reason).
        const reserveFor = intent.reserveAt ? (await api.call('clock.nextTime', { text: intent.reserveAt })).at : null;
        await api.call('units.deploy', { incidentId: incident.id, units: [{ unitId: unit.id, unitVersion: unit.version }], reserveFor });
        return reserveFor ? `${unit.callSign} reserved for ${displayReference(incident)} at ${wall.dateTime(reserveFor)}` : `${unit.callSign} deployed to ${displayReference(incident)}`;
      }
      case 'bookOn':
      case 'bookOff': {
        const unit = Object.values(units).find((u) => u.callSign === intent.callSign);
        if (!unit) throw new Error(`no unit ${intent.callSign}`);
        if (intent.verb === 'bookOff') {
          await api.call('units.setDuty', { unitId: unit.id, duty: 'off_duty', unitVersion: unit.version });
          return `${unit.callSign} booked off duty`;
        }
        // As for AS: the core places the typed time, by its clock, in the force's zone.
        const until = intent.until ? (await api.call('clock.nextTime', { text: intent.until })).at : null;
        const { unit: booked } = await api.call('units.setDuty', { unitId: unit.id, duty: 'on_duty', unitVersion: unit.version, until });
        return booked.tour?.endsAt ? `${unit.callSign} booked on until ${wall.timeFromToday(booked.tour.endsAt, consoleNow())}` : `${unit.callSign} booked on (no shift end: until booked off)`;
      }
      case 'find': {
        const found = await byReference(intent.reference);
        select(found.id);
        return `${displayReference(found)} selected`;
      }
      case 'help': {
        const verb = intent.topic ? VERBS.find((v) => v.names.includes(intent.topic!)) : undefined;
        return verb ? `${verb.usage}: ${verb.help}` : VERBS.map((v) => `${v.usage}: ${v.help}`).join(' · ');
      }
    }
  };
}
