import { describeLocation } from '../../../shared/domain/location';
import { memo, useMemo, type KeyboardEvent } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { displayReference } from '../../../shared/domain/incident';
import { openIncidents, queueOrder } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { shortTime } from '../../app/format';
import { gradeLabel, typeName } from './describe';
import { AttendanceClock } from '../dispatch/AttendanceClock';
import { listKeyTarget } from '../../keyboard/list-navigation';

export const INCIDENT_LIST_ID = 'incident-list';

/**
 * The open incidents as a listbox, the dispatcher's queue: those waiting for a unit first, soonest due first, each
 * with its attendance clock; then those with units. Arrow keys move the selection, Enter goes to its log.
 * Focus stays on the list itself, so Esc always has the same place to come back to.
 */
export function IncidentList({ onOpen }: { onOpen(): void }) {
  const incidentsById = useConsole((s) => s.incidents);
  const config = useConsole((s) => s.config);
  const selectedId = useConsole((s) => s.selectedId);
  const select = useConsole((s) => s.select);
  const incidents = useMemo(() => (config ? queueOrder(config, openIncidents({ incidents: incidentsById })) : []), [config, incidentsById]);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (incidents.length === 0) return;
    const to = listKeyTarget(event.key, incidents.findIndex((i) => i.id === selectedId), incidents.length);
    if (to !== null) {
      event.preventDefault();
      select(incidents[to]!.id);
    } else if (event.key === 'Enter' && selectedId) {
      event.preventDefault();
      onOpen();
    }
  };

  return (
    <section className="incident-list" aria-labelledby="incident-list-heading">
      <h2 id="incident-list-heading">Open incidents ({incidents.length})</h2>
      <ul
        id={INCIDENT_LIST_ID}
        role="listbox"
        aria-label="Open incidents"
        tabIndex={0}
        aria-activedescendant={selectedId ? `incident-${selectedId}` : undefined}
        onKeyDown={onKeyDown}
      >
        {incidents.map((incident) => (
          <IncidentRow key={incident.id} incident={incident} config={config} selected={incident.id === selectedId} onSelect={select} />
        ))}
        {incidents.length === 0 && <li className="empty">No open incidents. Press F2 to create one.</li>}
      </ul>
    </section>
  );
}

/**
 * One row of the queue. Memoised: a change to one incident, or a new selection, re-renders that row (or two),
 * not thousands; the incident objects of unchanged incidents keep their identity in the store.
 */
const IncidentRow = memo(function IncidentRow({
  incident,
  config,
  selected,
  onSelect,
}: {
  incident: IncidentView;
  config: ForceConfig | null;
  selected: boolean;
  onSelect(id: string): void;
}) {
  return (
    <li id={`incident-${incident.id}`} role="option" aria-selected={selected} data-grade={incident.grade} onClick={() => onSelect(incident.id)}>
      <span className="ref">{displayReference(incident)}</span>
      <span className="grade">{gradeLabel(config, incident.grade)}</span>
      <span className="type">{typeName(config, incident.type)}</span>
      <span className="location">{describeLocation(incident.location)}</span>
      <span className="time">{shortTime(incident.createdAt)}</span>
      <AttendanceClock incident={incident} />
      {incident.activeUnits.length > 0 && <span className="units">{incident.activeUnits.join(', ')}</span>}
      {incident.pending && <span className="pending">not yet on the server</span>}
    </li>
  );
});
