import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ContactView } from '../../../shared/contract/views';
import { contactSourceNames } from '../../../shared/domain/contact';
import { defaultGradeFor } from '../../../shared/domain/grading';
import { describeLocation } from '../../../shared/domain/location';
import { decideLocation, fromGazetteer } from '../../../shared/domain/location-choice';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { useMap } from '../map/map-store';
import { GazetteerCombobox } from '../map/LocationSearch';
import type { CallDraft } from './call-draft';
import { ThriveQuestions } from './ThriveQuestions';

export const CALL_LOCATION_ID = 'call-location';

export interface CallFormProps {
  draft: CallDraft;
  /** When the draft was last kept on disk; 'typing' while newer keys wait to be kept; null before anything is typed. */
  keptAt: string | 'typing' | null;
  contact: ContactView | null;
  /** A patch, or a function of the draft as it stands when the key lands (see CallTakingDesk's change). */
  change(edit: Partial<CallDraft> | ((draft: CallDraft) => Partial<CallDraft>)): void;
  busy: boolean;
  error: string | null;
  onSave(): void;
  onResolve(closingCode: string): void;
  /** Ends the call without an incident: silent, or completed with a disposal from the force's list and a note. */
  onEndCall(outcome: 'silent' | 'completed', disposal?: { code: string; note: string }): void;
}

/**
 * The call, as the handler takes it: location first (gazetteer as they type, or the caller's handset position by
 * choice, or their own words, flagged), then what it is, the risk questions for that, the grade (the type's default
 * until chosen), and the account. Location and type are enough to save; Ctrl+Enter saves from anywhere in it.
 */
export function CallForm({ draft, keptAt, contact, change, busy, error, onSave, onResolve, onEndCall }: CallFormProps) {
  const wall = useWallClock();
  const config = useConsole((s) => s.config);
  const search = useMap((s) => s.search);
  const id = useId();
  const [ending, setEnding] = useState(false);
  const [disposal, setDisposal] = useState('');
  const [note, setNote] = useState('');
  if (!config) return null;
  const decision = decideLocation({ chosen: draft.locationChosen, typed: draft.locationTyped, handset: contact?.handsetLocation ?? null });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.ctrlKey) {
      event.preventDefault();
      onSave();
    }
  };

  return (
    <form className="call-form" aria-label="Call" onKeyDown={onKeyDown} onSubmit={(e: FormEvent) => (e.preventDefault(), onSave())} noValidate>
      <h2>{contact ? `${contactSourceNames[contact.source]} call from ${contact.callerNumber ?? 'a withheld number'}` : 'Incident without a call'}</h2>
      <p className="draft-kept" role="status" aria-label="Draft">
        {keptAt === null ? 'Nothing typed yet' : keptAt === 'typing' ? 'Keeping the draft…' : `Draft kept on this workstation at ${wall.timeWithSeconds(keptAt)}`}
      </p>

      <GazetteerCombobox
        key={draft.contactId ?? 'without-call'}
        id={CALL_LOCATION_ID}
        label="Location"
        initial={draft.locationChosen ? describeLocation(draft.locationChosen) : draft.locationTyped}
        search={search}
        onType={(text) => change({ locationTyped: text, locationChosen: null })}
        onChoose={(result) => change({ locationChosen: fromGazetteer({ name: result.name, district: result.district, point: { lon: result.center[0], lat: result.center[1] } }), locationTyped: result.name })}
      />
      <p className="location-decision" aria-live="polite">
        {decision.location ? (
          <>
            Location: <strong>{describeLocation(decision.location)}</strong>
            {decision.unverified && <span className="badge">not found: saved as typed, to be followed up</span>}
          </>
        ) : (
          'No location yet.'
        )}
      </p>
      {decision.handsetOffer && (
        <p className="handset">
          Caller’s handset: {contact?.handsetLocation?.source}, within {Math.round(contact?.handsetLocation?.accuracyM ?? 0)} m{' '}
          {/* Out of the Tab order, so location-then-type stays two keys apart; F3 takes it. */}
          <button type="button" tabIndex={-1} onClick={() => change({ locationChosen: decision.handsetOffer, locationTyped: '' })}>
            Use the caller’s position (F3)
          </button>
        </p>
      )}

      <div className="row">
        <label htmlFor={`${id}-type`}>Incident type</label>
        <select
          id={`${id}-type`}
          value={draft.type}
          onChange={(e) => {
            const type = e.target.value;
            // The type's default grade until the handler has chosen one: judged on the draft as it is when the key
            // lands, not as this render saw it.
            change((now) => ({ type, grade: now.gradeChosen ? now.grade : (defaultGradeFor(config, type) ?? '') }));
          }}
        >
          <option value="">Choose a type…</option>
          {config.incidentTypes.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-grade`}>Grade</label>
        <select id={`${id}-grade`} value={draft.grade} onChange={(e) => change({ grade: e.target.value, gradeChosen: true })}>
          <option value="">Choose a grade…</option>
          {config.grades.map((g) => (
            <option key={g.code} value={g.code}>
              {g.code} {g.name}
            </option>
          ))}
        </select>
      </div>

      <ThriveQuestions type={draft.type} answers={draft.answers} onAnswer={(questionId, answer) => change((now) => ({ answers: { ...now.answers, [questionId]: answer } }))} />

      <div className="row">
        <label htmlFor={`${id}-caller-name`}>Caller’s name</label>
        <input id={`${id}-caller-name`} value={draft.callerName} maxLength={120} autoComplete="off" onChange={(e) => change({ callerName: e.target.value })} />
        <label htmlFor={`${id}-caller-number`}>Caller’s number</label>
        <input id={`${id}-caller-number`} value={draft.callerNumber} maxLength={40} autoComplete="off" onChange={(e) => change({ callerNumber: e.target.value })} />
      </div>

      <label htmlFor="call-narrative">What is happening</label>
      <textarea id="call-narrative" rows={3} maxLength={4000} value={draft.narrative} onChange={(e) => change({ narrative: e.target.value })} />

      {error && <p role="alert">{error}</p>}
      <div className="buttons">
        <button type="submit" disabled={busy}>
          Save incident (Ctrl+Enter)
        </button>
        <label htmlFor={`${id}-resolve`}>Resolve without deployment</label>
        <select id={`${id}-resolve`} defaultValue="" onChange={(e) => e.target.value && onResolve(e.target.value)} disabled={busy}>
          <option value="">with closing code…</option>
          {config.closingCodes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        {contact && (
          <>
            <button type="button" disabled={busy} onClick={() => onEndCall('silent')}>
              Silent call
            </button>
            <button
              type="button"
              disabled={busy}
              aria-expanded={ending}
              aria-controls={`${id}-end`}
              onClick={() => {
                setEnding(true);
                requestAnimationFrame(() => document.getElementById(`${id}-disposal`)?.focus());
              }}
            >
              End call, no incident
            </button>
          </>
        )}
      </div>
      {contact && ending && (
        // Every answered call ends in an incident or a recorded disposal: this records the disposal, and why.
        <fieldset
          id={`${id}-end`}
          className="end-call"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.ctrlKey) {
              // Ctrl+Enter here ends the call as disposed of, never saves an incident instead.
              e.preventDefault();
              e.stopPropagation();
              onEndCall('completed', { code: disposal, note });
            } else if (e.key === 'Escape') {
              e.stopPropagation();
              setEnding(false);
            }
          }}
        >
          <legend>End the call without an incident</legend>
          <label htmlFor={`${id}-disposal`}>Disposal</label>
          <select id={`${id}-disposal`} value={disposal} onChange={(e) => setDisposal(e.target.value)}>
            <option value="">Choose a disposal…</option>
            {config.calls.disposals.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-disposal-note`}>What was done</label>
          <textarea id={`${id}-disposal-note`} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="buttons">
            <button type="button" disabled={busy} onClick={() => onEndCall('completed', { code: disposal, note })}>
              End call with this disposal (Ctrl+Enter)
            </button>
            <button type="button" onClick={() => setEnding(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
    </form>
  );
}
