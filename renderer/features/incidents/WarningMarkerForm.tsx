import { useId, useState } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { describeLocation } from '../../../shared/domain/location';
import { WarningKind, warningNames } from '../../../shared/domain/marker';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/** How far around the point a marker warns by default: the building and its neighbours, not the street. */
const DEFAULT_RADIUS_M = 30;

/**
 * A supervisor marks the incident's location with warnings (firearms, a vulnerable occupant…) so the next handler
 * taking a call there, and the officers sent, cannot miss them.
 */
export function WarningMarkerForm({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const id = useId();
  const action = useAction();
  const mayAdd = useMay('marker.add');
  const [warnings, setWarnings] = useState<WarningKind[]>([]);
  const [note, setNote] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const point = incident.location.point;
  if (!mayAdd || !point) return null;

  const toggle = (kind: WarningKind) => setWarnings((all) => (all.includes(kind) ? all.filter((k) => k !== kind) : [...all, kind]));
  const add = () =>
    void action.run(async () => {
      if (warnings.length === 0) throw new Error('tick at least one warning');
      await api.call('markers.add', { point, radiusM: DEFAULT_RADIUS_M, address: describeLocation(incident.location), warnings, note });
      setAdded(warnings.map((w) => warningNames[w]).join(', '));
      clearSaved(() => {
        setWarnings([]);
        setNote(keepTypedSince(note));
      });
    });

  return (
    <details className="marker-form">
      <summary>Warning marker for this location</summary>
      <fieldset>
        <legend>Warnings at {describeLocation(incident.location)}</legend>
        {WarningKind.options.map((kind) => (
          <label key={kind}>
            <input type="checkbox" checked={warnings.includes(kind)} onChange={() => toggle(kind)} /> {warningNames[kind]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-note`}>Marker note</label>
      <input id={`${id}-note`} value={note} maxLength={500} autoComplete="off" onChange={(e) => setNote(e.target.value)} />
      <button type="button" disabled={action.busy} onClick={add}>
        Add warning marker
      </button>
      {added && <p role="status">Marker added: {added}</p>}
      {action.error && <p role="alert">{action.error}</p>}
    </details>
  );
}
