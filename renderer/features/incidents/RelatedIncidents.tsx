import type { IncidentView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import { describeLocation } from '../../../shared/domain/location';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';
import { incidentTypeName } from './describe';

/**
 * Incidents linked to this one as related, each a keystroke away (select it) and each link undoable, since a wrong
 * link must never be permanent. Links are made from the command line (LINK reference) or from a duplicate proposal.
 */
export function RelatedIncidents({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const action = useAction();
  const config = useConsole((s) => s.config);
  const incidents = useConsole((s) => s.incidents);
  const select = useConsole((s) => s.select);
  const mayLink = useMay('incident.link');
  if (incident.related.length === 0) return null;

  return (
    <section className="related" aria-label="Related incidents">
      <h3>Related incidents</h3>
      <ul>
        {incident.related.map((otherId) => {
          const other = incidents[otherId];
          const name = other ? displayReference(other) : 'an incident not on this workstation';
          return (
            <li key={otherId}>
              {other ? (
                <button type="button" className="link-like" onClick={() => select(other.id)}>
                  {name}
                </button>
              ) : (
                name
              )}
              {other && ` ${incidentTypeName(config, other)}, ${describeLocation(other.location)}${other.status === 'open' ? '' : ' (closed)'}`}
              {mayLink && (
                <button
                  type="button"
                  aria-label={`Unlink ${name}`}
                  disabled={action.busy}
                  onClick={() => void action.run(() => api.call('incidents.link', { incidentId: incident.id, otherId, unlink: true }))}
                >
                  Unlink
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
