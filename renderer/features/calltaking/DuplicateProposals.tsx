import type { ResponseOf } from '../../../shared/contract/channels';
import { describeLocation } from '../../../shared/domain/location';
import { displayReference } from '../../../shared/domain/incident';
import { incidentTypeName } from '../incidents/describe';
import { useConsole } from '../../state/use-console';

export type Proposals = ResponseOf<'incidents.duplicates'>['proposals'];

/**
 * Open incidents that may be what this caller is reporting, as they become likely while the handler types.
 * F4 attaches the call to the first; each can also be chosen by its button.
 */
export function DuplicateProposals({ proposals, canAttach, onAttach }: { proposals: Proposals; canAttach: boolean; onAttach(incidentId: string): void }) {
  const config = useConsole((s) => s.config);
  if (proposals.length === 0) return null;
  return (
    <section className="duplicates" aria-label="Possible duplicates">
      <h3>May be the same event</h3>
      <ol>
        {proposals.map(({ incident, reasons }, i) => (
          <li key={incident.id}>
            <strong>{displayReference(incident)}</strong> {incidentTypeName(config, incident)}, {describeLocation(incident.location)} — {reasons.join(', ')}
            {canAttach && (
              <button type="button" onClick={() => onAttach(incident.id)}>
                Attach call to {displayReference(incident)}
                {i === 0 ? ' (F4)' : ''}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
