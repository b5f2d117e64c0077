import { describe, expect, it } from 'vitest';
import { untakenHandoff } from '../../shared/dispatch/handoffs';
import type { IncidentView } from '../../shared/contract/views';
import type { IncidentLocation } from '../../shared/domain/location';
import { call, demoConfig, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';

const room = workstationsOnServer();
const core = room.core;

const place = (text: string, lat: number, lon: number): IncidentLocation => ({ text, point: { lat, lon }, source: 'gazetteer', district: 'Saltmere', accuracyM: null });
const SOUTHMEAD = place('Southmead Road', 53.9, 1.72);
const NORTHGATE = place('Northgate Road', 53.955, 1.75);

describe('handoffs through the console core and a real server', () => {
  it('an incident is in its area’s queue at every desk, moves when its location does, and once a dispatcher takes it every desk sees it taken', async () => {
    const handler = core('WS-A');
    const dispatcher = core('WS-B');
    await call(handler, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(dispatcher, 'session.signIn', { operator: 'bob', password: 'demo' });

    const { incident } = await call<{ incident: IncidentView }>(handler, 'incidents.create', { type: 'ASSAULT', location: SOUTHMEAD, grade: '1', firstLog: 'Fight in the street' });
    expect(incident.queue).toEqual({ force: 'DMO', area: 'SMS' });
    await eventually(() => dispatcher.store.view.incident(incident.id)?.reference != null, 'the dispatcher has the incident from the server');
    const atDispatcher = () => dispatcher.store.view.incident(incident.id)!;
    expect(atDispatcher().queue).toEqual({ force: 'DMO', area: 'SMS' });

    // Untaken, it alerts its queue's dispatchers a minute after it was made, by any desk's reckoning alike.
    const since = Date.parse(atDispatcher().handoff!.waitingSince);
    expect(untakenHandoff(demoConfig, atDispatcher(), since + 61_000)?.stage).toBe('dispatchers');
    expect(untakenHandoff(demoConfig, handler.store.view.incident(incident.id)!, since + 61_000)?.stage).toBe('dispatchers');

    // The caller rings back: it is in Northgate. It moves to the north queue, at both desks, and the log says so.
    await call(handler, 'incidents.update', { incidentId: incident.id, fields: { location: NORTHGATE } });
    await eventually(() => atDispatcher().queue?.area === 'SMN' && !atDispatcher().pending, 'the dispatcher sees it in the north queue');
    expect(dispatcher.store.view.logOf(incident.id).map((e) => e.text)).toContain('Queue changed from Saltmere South to Saltmere North');
    // Moving it did not restart its wait.
    expect(atDispatcher().handoff?.waitingSince).toBe(new Date(since).toISOString());

    // The dispatcher takes it: a command through the outbox like any other; the call handler's desk sees it taken.
    await call(dispatcher, 'incidents.takeOwnership', { incidentId: incident.id, incidentVersion: atDispatcher().version });
    await eventually(() => handler.store.view.incident(incident.id)?.handoff?.takenBy === 'bob' && !handler.store.view.incident(incident.id)?.pending, 'the call handler sees it taken by bob');
    expect(untakenHandoff(demoConfig, handler.store.view.incident(incident.id)!, since + 3_600_000)).toBeNull();
    expect(untakenHandoff(demoConfig, atDispatcher(), since + 3_600_000)).toBeNull();
  });
});
