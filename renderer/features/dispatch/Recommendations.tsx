import { useEffect, useState, type KeyboardEvent } from 'react';
import type { IncidentView, RecommendationView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useMay } from '../session/use-may';
import { listKeyTarget } from '../../keyboard/list-navigation';

export const RECOMMENDATIONS_ID = 'recommended-units';

/**
 * The units proposed for the selected incident, best first, each with the reason. Arrow keys move, Space ticks
 * (the incident type's number of units comes ticked), Enter deploys what is ticked, or the unit under the cursor
 * when nothing is. Asked again whenever a unit or deployment changes, so a proposal never goes stale on screen.
 * Keyed by incident where it is used, so ticks never carry over to another incident.
 */
export function Recommendations({ incident }: { incident: IncidentView }) {
  const api = useApi();
  const action = useAction();
  const announce = useConsole((s) => s.announce);
  const units = useConsole((s) => s.units);
  const assignments = useConsole((s) => s.assignments);
  const mayDeploy = useMay('unit.assign');
  const [recommendation, setRecommendation] = useState<RecommendationView | null>(null);
  const [active, setActive] = useState(0);
  const [ticked, setTicked] = useState<string[]>([]);

  useEffect(() => {
    if (!mayDeploy || incident.status !== 'open') return;
    let current = true;
    void api
      .call('units.recommend', { incidentId: incident.id })
      .then((r) => {
        if (!current) return;
        setRecommendation(r);
        setActive((a) => Math.min(a, Math.max(0, r.proposals.length - 1)));
      })
      .catch(() => current && setRecommendation(null));
    return () => {
      current = false;
    };
  }, [api, incident.id, incident.status, incident.version, units, assignments, mayDeploy]);


  if (!mayDeploy || incident.status !== 'open' || !recommendation) return null;
  const proposals = recommendation.proposals;

  const deploy = () => {
    const chosen = ticked.length ? proposals.filter((p) => ticked.includes(p.unitId)) : proposals.slice(active, active + 1);
    if (chosen.length === 0) return;
    void action.run(async () => {
      await api.call('units.deploy', { incidentId: incident.id, units: chosen.map((p) => ({ unitId: p.unitId, unitVersion: p.unitVersion })) });
      setTicked([]);
      announce(`${chosen.map((p) => p.callSign).join(', ')} deployed to ${displayReference(incident)}`);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const to = listKeyTarget(event.key, active, proposals.length);
    if (to !== null) {
      event.preventDefault();
      setActive(to);
    } else if (event.key === ' ') {
      event.preventDefault();
      const unitId = proposals[active]?.unitId;
      if (unitId) setTicked((t) => (t.includes(unitId) ? t.filter((u) => u !== unitId) : [...t, unitId]));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      deploy();
    }
  };

  const activeId = proposals[active] ? `proposal-${proposals[active].unitId}` : undefined;
  return (
    <section className="recommendations" aria-labelledby="recommendations-heading">
      <h3 id="recommendations-heading">
        Recommended units <span className="needs">needs {recommendation.needs}</span>
      </h3>
      {proposals.length === 0 ? (
        <p role="status">No suitable unit is available.{recommendation.busy.length ? ` Busy: ${recommendation.busy.map((b) => b.callSign).join(', ')}.` : ''}</p>
      ) : (
        <ul id={RECOMMENDATIONS_ID} role="listbox" aria-label="Recommended units" aria-multiselectable="true" tabIndex={0} aria-activedescendant={activeId} onKeyDown={onKeyDown}>
          {proposals.map((p, i) => (
            <li
              key={p.unitId}
              id={`proposal-${p.unitId}`}
              role="option"
              aria-selected={ticked.includes(p.unitId)}
              data-active={i === active || undefined}
              data-shift-ends={p.shiftEndsDuringJob || undefined}
              onClick={() => {
                setActive(i);
                setTicked((t) => (t.includes(p.unitId) ? t.filter((u) => u !== p.unitId) : [...t, p.unitId]));
              }}
            >
              <strong>{p.callSign}</strong> {p.reasons.join(' · ')}
            </li>
          ))}
        </ul>
      )}
      {proposals.length > 0 && (
        <p className="hint">
          Space ticks, Enter deploys {ticked.length ? `the ${ticked.length} ticked` : 'the highlighted unit'}.{' '}
          <button type="button" disabled={action.busy} onClick={deploy}>
            Deploy
          </button>
        </p>
      )}
      {recommendation.busy.length > 0 && proposals.length > 0 && <p className="busy">Suitable but busy: {recommendation.busy.map((b) => b.callSign).join(', ')}</p>}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
