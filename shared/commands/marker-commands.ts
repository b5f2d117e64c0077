import { z } from 'zod';
import { Uuid } from '../domain/ids';
import { GeoPoint } from '../domain/location';
import { WarningKind, type Marker } from '../domain/marker';
import { plainText } from '../domain/text';
import { missing, type CommandDefinition } from './types';

export const AddMarkerArgs = z.object({
  markerId: Uuid,
  point: GeoPoint,
  radiusM: z.number().positive().max(2000),
  address: plainText({ min: 1, max: 200 }),
  warnings: z.array(WarningKind).min(1),
  note: plainText({ max: 500, multiline: true }).default(''),
});

/** Puts a warning on a location (firearms, violence, a vulnerable occupant) that every handler will see there. */
export const addMarker: CommandDefinition<z.infer<typeof AddMarkerArgs>> = {
  name: 'marker.add',
  args: AddMarkerArgs,
  reads: (args) => [{ kind: 'marker', id: args.markerId }],
  apply(args, ctx, state) {
    if (state.get('marker', args.markerId)) return { ok: true, changes: [] };
    const marker: Marker = { id: args.markerId, force: ctx.config.force.code, point: args.point, radiusM: args.radiusM, address: args.address, warnings: args.warnings, note: args.note, addedBy: ctx.actor.operator, addedAt: ctx.issuedAt, active: true, version: 1 };
    return { ok: true, changes: [{ kind: 'marker', id: marker.id, doc: marker }] };
  },
};

export const RemoveMarkerArgs = z.object({ markerId: Uuid });

export const removeMarker: CommandDefinition<z.infer<typeof RemoveMarkerArgs>> = {
  name: 'marker.remove',
  args: RemoveMarkerArgs,
  reads: (args) => [{ kind: 'marker', id: args.markerId }],
  apply(args, _ctx, state) {
    const marker = state.get('marker', args.markerId);
    if (!marker) return missing({ kind: 'marker', id: args.markerId }, 'the marker');
    if (!marker.active) return { ok: true, changes: [] };
    return { ok: true, changes: [{ kind: 'marker', id: marker.id, doc: { ...marker, active: false, version: marker.version + 1 } }] };
  },
};
