import { describeLocation } from '../../../shared/domain/location';
import { incidentPriority } from '../../../shared/domain/common-priority';
import { memo, useMemo, type KeyboardEvent } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { displayReference } from '../../../shared/domain/incident';
import { queueOrder } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { wallClock } from '../../../shared/domain/wall-clock';
import { gradeLabel, incidentTypeName, sharedLabel } from './describe';
import { AttendanceClock } from '../dispatch/AttendanceClock';
import { LongListbox } from '../../app/LongListbox';
import { ownQueueOf, queueName } from '../../../shared/domain/dispatch-queues';

/** A queue row's height before one is drawn and measured (four lines at the console's 15px). */
const ROW_PX_ESTIMATE = 90;

export const INCIDENT_LIST_ID = 'incident-list';

/**
 * The open incidents as a listbox, the dispatcher's queue: those waiting for a unit first, soonest due first, each
 * with its attendance clock; then those with units. Arrow keys move the selection, Enter goes to its log.
 * Focus stays on the list itself, so Esc always has the same place to come back to. Only the rows in view are drawn
 * (a big force's queue holds thousands); each option says where it stands in the whole list for screen readers.
 */
export function IncidentList({ onOpen }: { onOpen(): void }) {
  const incidentsById = useConsole((s) => s.incidents);
  const config = useConsole((s) => s.config);
  const selectedId = useConsole((s) => s.selectedId);
  const select = useConsole((s) => s.select);
  const incidents = useMemo(() => (config ? queueOrder(config, Object.values(incidentsById)) : []), [config, incidentsById]);
  const onOtherKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'Enter' || !selectedId || incidents.length === 0) return;
    event.preventDefault();
    onOpen();
  };

  return (
    <section className="incident-list" aria-labelledby="incident-list-heading">
      <h2 id="incident-list-heading">Open incidents ({incidents.length})</h2>
      <LongListbox
        id={INCIDENT_LIST_ID}
        label="Open incidents"
        items={incidents}
        activeId={selectedId}
        optionIdPrefix="incident-"
        rowPxEstimate={ROW_PX_ESTIMATE}
        onActivate={(incident) => select(incident.id)}
        onOtherKey={onOtherKey}
        row={(incident, position, of) => (
          <IncidentRow key={incident.id} incident={incident} config={config} selected={incident.id === selectedId} onSelect={select} position={position} of={of} />
        )}
        empty="No open incidents. Press F2 to create one."
      />
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
  position,
  of,
}: {
  incident: IncidentView;
  config: ForceConfig | null;
  selected: boolean;
  onSelect(id: string): void;
  position: number;
  of: number;
}) {
  return (
    <li
      id={`incident-${incident.id}`}
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={of}
      data-row
      data-grade={incident.grade}
      data-priority={incident.sharedView ? (incident.sharedView.commonPriority ?? undefined) : config ? (incidentPriority(config, incident) ?? undefined) : undefined}
      data-shared-from={incident.sharedView ? incident.force : undefined}
      onClick={() => onSelect(incident.id)}
    >
      <span className="ref">{displayReference(incident)}</span>{' '}
      {/* Another force's incident, shared with this one: its common priority, never a grade of another scheme. */}
      <span className="grade">{incident.sharedView ? sharedLabel(incident) : gradeLabel(config, incident.grade)}</span>{' '}
      <span className="type">{incidentTypeName(config, incident)}</span>{' '}
      <span className="location">{describeLocation(incident.location)}</span>{' '}
      <span className="time">{config ? wallClock(config.force.timeZone).time(incident.createdAt) : ''}</span>{' '}
      <AttendanceClock incident={incident} />{' '}
      <span className="units">
        {incident.activeUnits.join(', ')}
        {incident.pending && <span className="pending"> not yet on the server</span>}
      </span>{' '}
      {/* Last in what the row says (its name reads as before, the queue after it); the grid shows it beside the type. */}
      <span className="queue">{queueWords(config, incident)}</span>
    </li>
  );
});

/**
 * Where the row says the incident waits: its queue if it is this force's own; another force's incident (held through
 * a share, or left with a view of it after a transfer) is that force's, in none of this force's queues.
 */
function queueWords(config: ForceConfig | null, incident: IncidentView): string {
  const own = config && ownQueueOf(config, incident);
  if (own) return queueName(config, own);
  if (config && incident.force !== config.force.code) return incident.sharedView ? `${incident.force}'s incident, shared (${incident.sharedView.tier})` : `${incident.force}'s incident`;
  return '';
}
