import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { distanceMetres, GeoPoint } from './location';
import { plainText } from './text';
import { Instant } from './time';

/** What a location's warning marker warns of: things a handler and the officers sent must not miss. */
export const WarningKind = z.enum(['firearms', 'weapons', 'violence', 'vulnerable', 'dog', 'hoarding', 'hazard']);
export type WarningKind = z.infer<typeof WarningKind>;

export const warningNames: Record<WarningKind, string> = {
  firearms: 'Firearms',
  weapons: 'Weapons',
  violence: 'Violence',
  vulnerable: 'Vulnerable occupant',
  dog: 'Dangerous dog',
  hoarding: 'Hoarding',
  hazard: 'Hazard',
};

export const Marker = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  point: GeoPoint,
  radiusM: z.number().positive().max(2000),
  address: plainText({ min: 1, max: 200 }),
  warnings: z.array(WarningKind).min(1),
  note: plainText({ max: 500, multiline: true }),
  addedBy: Name,
  addedAt: Instant,
  active: z.boolean(),
  version: z.number().int().positive(),
});
export type Marker = z.infer<typeof Marker>;

/** The active markers that cover a point, nearest first. */
export function markersAt<M extends Marker>(point: GeoPoint, markers: readonly M[]): M[] {
  return markers
    .filter((m) => m.active && distanceMetres(point, m.point) <= m.radiusM)
    .sort((a, b) => distanceMetres(point, a.point) - distanceMetres(point, b.point));
}
