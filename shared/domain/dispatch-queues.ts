import { z } from 'zod';
import type { GeoPoint, IncidentLocation } from './location';

/**
 * Dispatch queues (issue 12, "handoffs that cannot vanish"). Every incident waiting for a dispatcher is owned by a
 * queue: its force and a dispatch area of that force (a district or a group of beats, drawn in the force's
 * configuration). The queue is decided from the incident's location when it is created and whenever its location
 * changes; a location outside every area, or one with no point (typed and not found), goes to the force's default
 * queue, so no open incident is ever without one. Pure: no Node, no DOM.
 */

/** A ring of [longitude, latitude] points (GeoJSON order), closed or not: the boundary of a dispatch area. */
const Ring = z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(3);

const AreaCode = z.string().regex(/^[A-Z0-9]{1,8}$/, 'an area code of capital letters and digits, such as SMN');

export const DispatchAreaConfig = z.object({
  code: AreaCode,
  name: z.string().min(1).max(80),
  /** Its boundary. Areas are tried in the order listed; the first that contains the location owns it. */
  boundary: Ring,
});
export type DispatchAreaConfig = z.infer<typeof DispatchAreaConfig>;

export const DispatchAreasConfig = z.object({
  areas: z.array(DispatchAreaConfig),
  /** The queue of a location outside every area, or with no point: the force control room's own. */
  elsewhere: z.object({ code: AreaCode, name: z.string().min(1).max(80) }),
});
export type DispatchAreasConfig = z.infer<typeof DispatchAreasConfig>;

/** A force that draws no areas has one queue for its whole area. */
export const DEFAULT_DISPATCH_AREAS: DispatchAreasConfig = { areas: [], elsewhere: { code: 'ALL', name: 'Whole force' } };

/**
 * How long an incident of a grade may wait for a dispatcher to take it: past `dispatchersAfterSeconds` the queue's
 * dispatchers are alerted; `supervisorAfterSeconds` later still, the supervisor. A grade absent from the list raises
 * no alert (a grade resolved without deployment, say), though its incidents are still in a queue.
 */
export const UntakenLimit = z.object({
  dispatchersAfterSeconds: z.number().int().positive().max(7 * 86_400),
  supervisorAfterSeconds: z.number().int().positive().max(7 * 86_400),
});
export type UntakenLimit = z.infer<typeof UntakenLimit>;
/** By grade code. */
export const UntakenLimits = z.record(z.string().min(1), UntakenLimit);
export type UntakenLimits = z.infer<typeof UntakenLimits>;

/** The queue that owns an incident: its force (the force configuration's code) and the dispatch area's code. */
export const DispatchQueue = z.object({ force: z.string().min(1), area: z.string().min(1) });
export type DispatchQueue = z.infer<typeof DispatchQueue>;

/** What the queue rules need of a force's configuration. */
export interface QueueConfig {
  force: { code: string };
  dispatchAreas: DispatchAreasConfig;
}

/** The queue a location belongs to: the first area whose boundary contains its point, else the force's default queue. */
export function queueFor(config: QueueConfig, location: Pick<IncidentLocation, 'point'>): DispatchQueue {
  const point = location.point;
  const area = point ? config.dispatchAreas.areas.find((a) => contains(a.boundary, point)) : undefined;
  return { force: config.force.code, area: area?.code ?? config.dispatchAreas.elsewhere.code };
}

/**
 * The queue of an incident: the one recorded on it, or, for an incident recorded before queues were kept, the one
 * its location gives now. Never none.
 */
export function queueOf(config: QueueConfig, incident: { queue?: DispatchQueue | undefined; location: Pick<IncidentLocation, 'point'> }): DispatchQueue {
  return incident.queue ?? queueFor(config, incident.location);
}

/**
 * The queue of an incident as a desk of the force in `config` sees it: its queue (queueOf) if the incident is the
 * force's own, else null. Another force's incident, held here through a share, is in none of this force's queues:
 * its owner's queue is never sent (shared/domain/share-cut.ts), and working one out from its location with this
 * force's areas would put it in a queue of a force that may not take it. Every desk's queue, untaken alert and
 * supervisor's list goes through this, never through queueOf directly.
 */
export function ownQueueOf(
  config: QueueConfig,
  incident: { force: string; queue?: DispatchQueue | undefined; location: Pick<IncidentLocation, 'point'> },
): DispatchQueue | null {
  if (incident.force !== config.force.code) return null;
  return queueOf(config, incident);
}

/** A queue's key, as desks store the queues they serve: `DMO/SMN`. */
export function queueKey(queue: DispatchQueue): string {
  return `${queue.force}/${queue.area}`;
}

/** Every queue of the force, in the configuration's order, the default last. */
export function queuesOf(config: QueueConfig): { queue: DispatchQueue; name: string }[] {
  const { areas, elsewhere } = config.dispatchAreas;
  return [...areas, elsewhere].map((a) => ({ queue: { force: config.force.code, area: a.code }, name: a.name }));
}

/** A queue in words: the area's name ("Saltmere North"), with the force's code if it is another force's. */
export function queueName(config: QueueConfig, queue: DispatchQueue): string {
  if (queue.force !== config.force.code) return `${queue.force} ${queue.area}`;
  const { areas, elsewhere } = config.dispatchAreas;
  return [...areas, elsewhere].find((a) => a.code === queue.area)?.name ?? queue.area;
}

/** Problems with a force's dispatch areas, in words (empty when there are none). */
export function dispatchAreaProblems(areas: DispatchAreasConfig, grades: readonly string[], limits: UntakenLimits): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const code of [...areas.areas.map((a) => a.code), areas.elsewhere.code]) {
    if (codes.has(code)) problems.push(`dispatch area code ${code} appears twice`);
    codes.add(code);
  }
  for (const grade of Object.keys(limits)) if (!grades.includes(grade)) problems.push(`untaken limits name unknown grade ${grade}`);
  return problems;
}

/**
 * Whether the ring contains the point (even-odd ray casting on longitude and latitude): exact enough for a force's
 * districts, which are a few kilometres across and far from the poles and the antimeridian. A point on an edge may
 * fall either side; the areas' order settles which queue then has it.
 */
export function contains(ring: readonly (readonly [number, number])[], point: GeoPoint): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
