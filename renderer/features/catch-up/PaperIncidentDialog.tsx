import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RequestOf } from '../../../shared/contract/channels';
import { displayReference } from '../../../shared/domain/incident';
import type { ContactView } from '../../../shared/contract/views';
import { contactSourceNames } from '../../../shared/domain/contact';
import { findIncidentType } from '../../../shared/domain/force-config';
import { useWallClockIfLoaded } from '../../app/format';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';

interface LogRow {
  date: string;
  time: string;
  text: string;
}

interface UnitRow {
  date: string;
  unitId: string;
  deployed: string;
  arrived: string;
  cleared: string;
}

interface Draft {
  date: string;
  callTime: string;
  /** The call the paper record came from ('' for none listed), and when the paper says it was answered. */
  contactId: string;
  answeredTime: string;
  answeredDate: string;
  type: string;
  grade: string;
  location: string;
  description: string;
  callerName: string;
  callerNumber: string;
  log: LogRow[];
  units: UnitRow[];
}

const emptyDraft = (date: string): Draft => ({
  date,
  callTime: '',
  contactId: '',
  answeredTime: '',
  answeredDate: '',
  type: '',
  grade: '',
  location: '',
  description: '',
  callerName: '',
  callerNumber: '',
  log: [{ date: '', time: '', text: '' }],
  units: [{ date: '', unitId: '', deployed: '', arrived: '', cleared: '' }],
});

/**
 * The paper incident form, in catch-up: the paper form's fields in its order (the date and time of the call, type,
 * grade, location, what is happening, the caller), its timed log lines and the units sent by radio with their times
 * (deployed, at scene, cleared). Every time is typed hh:mm as written, on the form's date unless its row gives
 * another (an outage can run past midnight); the core reads them in the force's time zone and refuses, naming the
 * field, any that is not a time of the outage. The call it came from is chosen among those that rang during the
 * outage and nobody has dealt with (its time rang, number and source), with the time the paper says it was answered
 * (the time of call if left empty). Saved as one: the incident, its call, its lines and its units, all back-entered.
 * Keyboard throughout: Enter saves from any field but a button, Esc closes without saving.
 */
export function PaperIncidentDialog({ open, outageFrom, onClose }: { open: boolean; outageFrom: string; onClose(): void }) {
  const api = useApi();
  const config = useConsole((s) => s.config);
  const select = useConsole((s) => s.select);
  const announce = useConsole((s) => s.announce);
  const wall = useWallClockIfLoaded();
  const outageDay = wall ? wall.date(outageFrom) : outageFrom.slice(0, 10);
  const dialog = useRef<HTMLDialogElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(outageDay));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [calls, setCalls] = useState<ContactView[]>([]);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      firstField.current?.focus();
      // The calls that rang while the system was down, as this desk knows them now it is back.
      api.call('catchUp.outageCalls', {}).then(
        ({ calls }) => setCalls(calls),
        () => setCalls([]),
      );
    } else if (!open && element.open) {
      element.close();
      setDraft(emptyDraft(outageDay));
      setError(null);
    }
  }, [open, outageDay, api]);

  if (!config) return null;

  const paperTime = (date: string, time: string) => ({ date: date.trim() || draft.date.trim(), time: time.trim() });
  const setLog = (index: number, row: Partial<LogRow>) => setDraft((d) => ({ ...d, log: d.log.map((line, i) => (i === index ? { ...line, ...row } : line)) }));
  const setUnit = (index: number, row: Partial<UnitRow>) => setDraft((d) => ({ ...d, units: d.units.map((unit, i) => (i === index ? { ...unit, ...row } : unit)) }));

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const missing = [!draft.callTime.trim() && 'the time of the call', !draft.type && 'an incident type', !draft.grade && 'a grade', !draft.location.trim() && 'a location'].filter(Boolean);
    if (missing.length) {
      setError(`Still needed: ${missing.join(', ')}.`);
      return;
    }
    const request: RequestOf<'catchUp.enterIncident'> = {
      callAt: paperTime('', draft.callTime),
      call: draft.contactId ? { contactId: draft.contactId, answeredAt: paperTime(draft.answeredDate, draft.answeredTime.trim() || draft.callTime) } : null,
      type: draft.type,
      grade: draft.grade,
      location: draft.location.trim(),
      description: draft.description,
      callerName: draft.callerName,
      callerNumber: draft.callerNumber,
      log: draft.log.filter((line) => line.text.trim()).map((line) => ({ at: paperTime(line.date, line.time), text: line.text.trim() })),
      deployments: draft.units
        .filter((unit) => unit.unitId)
        .map((unit) => ({
          unitId: unit.unitId,
          deployedAt: paperTime(unit.date, unit.deployed),
          arrivedAt: unit.arrived.trim() ? paperTime(unit.date, unit.arrived) : null,
          clearedAt: unit.cleared.trim() ? paperTime(unit.date, unit.cleared) : null,
        })),
    };
    setBusy(true);
    try {
      const { incident } = await api.call('catchUp.enterIncident', request);
      announce(`Paper incident entered as ${displayReference(incident)}, back-entered`);
      onClose();
      select(incident.id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    if ((event.target as HTMLElement).tagName === 'BUTTON') return;
    event.preventDefault();
    void submit();
  };

  const field = (suffix: string) => `${id}-${suffix}`;
  return (
    <dialog
      ref={dialog}
      aria-labelledby={field('title')}
      className="paper-incident"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <h2 id={field('title')}>Paper incident (catch-up)</h2>
        <p>As written on the paper form: times hh:mm, on the form&apos;s date unless a row gives another (YYYY-MM-DD).</p>
        <label htmlFor={field('date')}>Date on paper</label>
        <input id={field('date')} ref={firstField} autoComplete="off" placeholder="YYYY-MM-DD" value={draft.date} onChange={(e) => setDraft((d) => ({ ...d, date: e.target.value }))} />
        <label htmlFor={field('call')}>Time of call</label>
        <input id={field('call')} autoComplete="off" placeholder="hh:mm" value={draft.callTime} onChange={(e) => setDraft((d) => ({ ...d, callTime: e.target.value }))} />
        <label htmlFor={field('from-call')}>Call on paper</label>
        <select
          id={field('from-call')}
          aria-describedby={field('from-call-hint')}
          value={draft.contactId}
          onChange={(e) => {
            const contactId = e.target.value;
            const call = calls.find((c) => c.id === contactId);
            setDraft((d) => ({ ...d, contactId, callerNumber: d.callerNumber || (call?.callerNumber ?? '') }));
          }}
        >
          <option value="">Not listed, or no call</option>
          {calls.map((call) => (
            <option key={call.id} value={call.id}>
              {wall ? `${wall.timeWithSeconds(call.receivedAt)} on ${wall.date(call.receivedAt)}` : call.receivedAt}: {contactSourceNames[call.source]} from {call.callerNumber ?? 'a withheld number'}
            </option>
          ))}
        </select>
        <p id={field('from-call-hint')} className="hint">
          {calls.length === 0 ? 'No call that rang while the system was down is waiting to be tied to a paper record.' : `The calls that rang while the system was down and nobody has dealt with (${calls.length}).`}
        </p>
        {draft.contactId && (
          <>
            <label htmlFor={field('answered')}>Time answered on paper</label>
            <input
              id={field('answered')}
              aria-describedby={field('answered-hint')}
              autoComplete="off"
              placeholder="hh:mm"
              value={draft.answeredTime}
              onChange={(e) => setDraft((d) => ({ ...d, answeredTime: e.target.value }))}
            />
            <span id={field('answered-hint')} className="hint">
              Empty: the time of call.
            </span>
            <label htmlFor={field('answered-date')}>Date answered on paper</label>
            <input id={field('answered-date')} autoComplete="off" placeholder={draft.date} value={draft.answeredDate} onChange={(e) => setDraft((d) => ({ ...d, answeredDate: e.target.value }))} />
          </>
        )}
        <label htmlFor={field('type')}>Incident type</label>
        <select
          id={field('type')}
          value={draft.type}
          onChange={(e) => {
            const type = e.target.value;
            setDraft((d) => ({ ...d, type, grade: d.grade || (findIncidentType(config, type)?.defaultGrade ?? '') }));
          }}
        >
          <option value="">Choose a type…</option>
          {config.incidentTypes.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor={field('grade')}>Grade</label>
        <select id={field('grade')} value={draft.grade} onChange={(e) => setDraft((d) => ({ ...d, grade: e.target.value }))}>
          <option value="">Choose a grade…</option>
          {config.grades.map((g) => (
            <option key={g.code} value={g.code}>
              {g.code} {g.name}
            </option>
          ))}
        </select>
        <label htmlFor={field('location')}>Location</label>
        <input id={field('location')} autoComplete="off" maxLength={200} value={draft.location} onChange={(e) => setDraft((d) => ({ ...d, location: e.target.value }))} />
        <label htmlFor={field('what')}>What is happening</label>
        <textarea id={field('what')} rows={2} maxLength={2000} value={draft.description} onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))} />
        <label htmlFor={field('caller')}>Caller name</label>
        <input id={field('caller')} autoComplete="off" maxLength={120} value={draft.callerName} onChange={(e) => setDraft((d) => ({ ...d, callerName: e.target.value }))} />
        <label htmlFor={field('number')}>Caller number</label>
        <input id={field('number')} autoComplete="off" maxLength={40} value={draft.callerNumber} onChange={(e) => setDraft((d) => ({ ...d, callerNumber: e.target.value }))} />

        {/* The log and the units as the paper's own grids: a row a line, its boxes side by side under headings that
            stand once above them (each box is named in full for a screen reader: "Unit 2 at scene"), so a row fits
            on one line of the dialog at a desk's width rather than wrapping label by label. */}
        <fieldset className="paper-rows paper-log-rows">
          <legend>Log on paper</legend>
          <div className="paper-row paper-row-head" aria-hidden="true">
            <span>Line</span>
            <span>Time</span>
            <span>Date, if not the form&apos;s</span>
            <span>Entry</span>
          </div>
          {draft.log.map((line, i) => (
            <div key={i} role="group" aria-label={`Paper log line ${i + 1}`} className="paper-row">
              <span className="paper-row-number" aria-hidden="true">
                {i + 1}
              </span>
              <input aria-label={`Log line ${i + 1} time`} autoComplete="off" placeholder="hh:mm" value={line.time} onChange={(e) => setLog(i, { time: e.target.value })} />
              <input aria-label={`Log line ${i + 1} date`} autoComplete="off" placeholder={draft.date} value={line.date} onChange={(e) => setLog(i, { date: e.target.value })} />
              <input aria-label={`Log line ${i + 1} text`} autoComplete="off" maxLength={4000} value={line.text} onChange={(e) => setLog(i, { text: e.target.value })} />
            </div>
          ))}
          <button type="button" onClick={() => setDraft((d) => ({ ...d, log: [...d.log, { date: '', time: '', text: '' }] }))}>
            Add a log line
          </button>
        </fieldset>

        <fieldset className="paper-rows paper-unit-rows">
          <legend>Units sent (by radio)</legend>
          <div className="paper-row paper-row-head" aria-hidden="true">
            <span>Unit</span>
            <span>Call sign</span>
            <span>Deployed</span>
            <span>At scene</span>
            <span>Cleared</span>
            <span>Date, if not the form&apos;s</span>
          </div>
          {draft.units.map((unit, i) => (
            <div key={i} role="group" aria-label={`Paper unit ${i + 1}`} className="paper-row">
              <span className="paper-row-number" aria-hidden="true">
                {i + 1}
              </span>
              <select aria-label={`Unit ${i + 1}`} value={unit.unitId} onChange={(e) => setUnit(i, { unitId: e.target.value })}>
                <option value="">None</option>
                {config.units.map((u) => (
                  <option key={u.callSign} value={u.callSign}>
                    {u.callSign}
                  </option>
                ))}
              </select>
              <input aria-label={`Unit ${i + 1} deployed`} autoComplete="off" placeholder="hh:mm" value={unit.deployed} onChange={(e) => setUnit(i, { deployed: e.target.value })} />
              <input aria-label={`Unit ${i + 1} at scene`} autoComplete="off" placeholder="hh:mm" value={unit.arrived} onChange={(e) => setUnit(i, { arrived: e.target.value })} />
              <input aria-label={`Unit ${i + 1} cleared`} autoComplete="off" placeholder="hh:mm" value={unit.cleared} onChange={(e) => setUnit(i, { cleared: e.target.value })} />
              <input aria-label={`Unit ${i + 1} date`} autoComplete="off" placeholder={draft.date} value={unit.date} onChange={(e) => setUnit(i, { date: e.target.value })} />
            </div>
          ))}
          <button type="button" onClick={() => setDraft((d) => ({ ...d, units: [...d.units, { date: '', unitId: '', deployed: '', arrived: '', cleared: '' }] }))}>
            Add a unit
          </button>
        </fieldset>

        {error && <p role="alert">{error}</p>}
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Enter paper incident
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
