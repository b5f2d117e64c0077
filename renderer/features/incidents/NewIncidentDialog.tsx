import { unverifiedLocation } from '../../../shared/domain/location';
import { useEffect, useEffectEvent, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { findIncidentType } from '../../../shared/domain/force-config';
import { useConsole } from '../../state/use-console';

interface Draft {
  type: string;
  locationText: string;
  grade: string;
  /** Once the handler picks a grade, choosing another type no longer overrides it. */
  gradeChosen: boolean;
  firstLog: string;
}

const EMPTY: Draft = { type: '', locationText: '', grade: '', gradeChosen: false, firstLog: '' };

/**
 * Creating an incident: type, location, grade, first log line, all by keyboard. Enter saves from any field
 * (Shift+Enter for a new line in the log text); Esc closes without saving. `onClose` asks for the dialog to close
 * (saved or not); `onClosed` is called as it closes, in the same step, once the desk behind it can take the keyboard
 * again (while a modal dialog is open everything behind it is inert and cannot be focused). Not from the dialog's
 * close event: that comes a task later, after a key the operator pressed meanwhile (F6), and would take the
 * keyboard back from where that key put it.
 */
export function NewIncidentDialog({ open, onClose, onClosed }: { open: boolean; onClose(created: boolean): void; onClosed(): void }) {
  const config = useConsole((s) => s.config);
  const createIncident = useConsole((s) => s.createIncident);
  const dialog = useRef<HTMLDialogElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const closed = useEffectEvent(() => onClosed());

  // The form is emptied as the dialog closes, never as it opens: a reset on opening could land after the first keys
  // typed into the new dialog and silently take the incident type away.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      firstField.current?.focus();
    } else if (!open && element.open) {
      element.close();
      closed();
      setDraft(EMPTY);
      setError(null);
    }
  }, [open]);

  if (!config) return null;

  const chooseType = (type: string) => {
    setDraft((d) => ({ ...d, type, grade: d.gradeChosen ? d.grade : (findIncidentType(config, type)?.defaultGrade ?? d.grade) }));
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const missing = [!draft.type && 'an incident type', !draft.locationText.trim() && 'a location', !draft.grade && 'a grade'].filter(Boolean);
    if (missing.length) {
      setError(`Still needed: ${missing.join(', ')}.`);
      return;
    }
    setBusy(true);
    try {
      await createIncident({ type: draft.type, location: unverifiedLocation(draft.locationText.trim()), grade: draft.grade, firstLog: draft.firstLog.trim() || null });
      onClose(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    const target = event.target as HTMLElement;
    if (target.tagName === 'BUTTON') return;
    event.preventDefault();
    void submit();
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      className="new-incident"
      onCancel={(event) => {
        event.preventDefault();
        onClose(false);
      }}
    >
      <form onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <h2 id={`${id}-title`}>New incident</h2>
        <label htmlFor={`${id}-type`}>Incident type</label>
        <select id={`${id}-type`} ref={firstField} value={draft.type} onChange={(e) => chooseType(e.target.value)}>
          <option value="">Choose a type…</option>
          {config.incidentTypes.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-location`}>Location</label>
        <input
          id={`${id}-location`}
          autoComplete="off"
          value={draft.locationText}
          maxLength={200}
          onChange={(e) => setDraft((d) => ({ ...d, locationText: e.target.value }))}
        />

        <label htmlFor={`${id}-grade`}>Grade</label>
        <select id={`${id}-grade`} value={draft.grade} onChange={(e) => setDraft((d) => ({ ...d, grade: e.target.value, gradeChosen: true }))}>
          <option value="">Choose a grade…</option>
          {config.grades.map((g) => (
            <option key={g.code} value={g.code}>
              {g.code} {g.name}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-log`}>First log entry</label>
        <textarea
          id={`${id}-log`}
          rows={3}
          maxLength={4000}
          value={draft.firstLog}
          onChange={(e) => setDraft((d) => ({ ...d, firstLog: e.target.value }))}
        />

        {error && <p role="alert">{error}</p>}
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Create incident
          </button>
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
