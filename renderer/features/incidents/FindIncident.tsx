import { describeLocation } from '../../../shared/domain/location';
import { useState, type FormEvent } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { displayReference, provisionalReferenceShownTo } from '../../../shared/domain/incident';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';

export const FIND_INPUT_ID = 'find-incident';

/**
 * Finds an incident by its force reference or its provisional one (what a caller quotes back may be either):
 * Enter searches; one match is selected at once, several are listed to choose from.
 */
export function FindIncident({ onFound }: { onFound(): void }) {
  const api = useApi();
  const select = useConsole((s) => s.select);
  // The example names this force's references (its code), not the demonstration force's.
  const forceCode = useConsole((s) => s.config?.force.code ?? 'FORCE');
  const [text, setText] = useState('');
  // Beside the reference, the provisional one only if this force's workstation minted it (not a shared incident's
  // blank, nor the other force's workstation's on an incident transferred from it).
  const provisionalOf = (incident: IncidentView) => {
    const shown = provisionalReferenceShownTo(incident, forceCode);
    return shown ? `(${shown})` : null;
  };
  const [matches, setMatches] = useState<IncidentView[] | null>(null);

  const choose = (incident: IncidentView) => {
    select(incident.id);
    setMatches(null);
    setText('');
    onFound();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const { incidents } = await api.call('incidents.find', { reference: text.trim() });
    if (incidents.length === 1) choose(incidents[0]!);
    else setMatches(incidents);
  };

  return (
    <form className="find" onSubmit={submit} role="search">
      <label htmlFor={FIND_INPUT_ID}>Find by reference</label>
      <input id={FIND_INPUT_ID} value={text} onChange={(e) => setText(e.target.value)} placeholder={`e.g. ${forceCode}-20261129-0001 or WS1-P0003`} autoComplete="off" />
      {matches && matches.length === 0 && <p role="status">No incident has a reference starting “{text}”.</p>}
      {matches && matches.length > 1 && (
        <ul aria-label="Incidents found">
          {matches.map((incident) => (
            <li key={incident.id}>
              <button type="button" onClick={() => choose(incident)}>
                {[displayReference(incident), provisionalOf(incident), describeLocation(incident.location)].filter(Boolean).join(' ')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
