import { useEffect, useId, useRef, useState } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useMay } from '../session/use-may';
import { useConsole } from '../../state/use-console';
import { useNow } from '../../app/use-now';
import { waitingTooLong } from '../../../shared/dispatch/attendance';
import { ThriveQuestions, type Answer } from '../calltaking/ThriveQuestions';

/**
 * The incident's THRIVE assessment: when and by whom, or that it is due again because a fact that bears on risk
 * changed (type, location, grade, or a long wait). Re-assessing asks the type's questions again, starting from
 * the last answers, and records every answer in the log.
 */
export function RiskAssessment({ incident }: { incident: IncidentView }) {
  const wall = useWallClock();
  const api = useApi();
  const id = useId();
  const action = useAction();
  const mayAssess = useMay('incident.assessRisk');
  const [answers, setAnswers] = useState<Record<string, Answer> | null>(null);
  const config = useConsole((s) => s.config);
  const now = useNow(10_000);
  const thrive = incident.thrive;
  // A closed incident cannot be assessed (the command is refused: nobody is going); what it closed with is shown as
  // history, with nothing offered and nothing called due.
  const closed = incident.status !== 'open';
  const waitedTooLong = !closed && config !== null && waitingTooLong(config, incident, now);
  const due = !closed && (thrive === null || thrive.stale || waitedTooLong);
  const saveId = `${id}-save`;
  const form = useRef<HTMLDivElement>(null);
  const opened = answers !== null;
  // Opening the questions puts the keyboard on the first one: Y, N or U from there.
  useEffect(() => {
    if (opened) form.current?.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
  }, [opened]);

  const open = () => setAnswers(Object.fromEntries((thrive?.answers ?? []).map((a) => [a.questionId, a.answer])));
  const save = () =>
    void action.run(async () => {
      const given = Object.entries(answers ?? {}).map(([questionId, answer]) => ({ questionId, answer, note: '' }));
      if (given.length === 0) throw new Error('answer at least one question');
      await api.call('incidents.assessRisk', { incidentId: incident.id, answers: given });
      setAnswers(null);
    });

  return (
    <section className={`risk${due ? ' due' : ''}`} aria-label="Risk assessment">
      {closed ? (
        <p>
          {thrive === null
            ? 'Closed without a risk assessment.'
            : `Closed with the risk assessed at ${wall.timeWithSeconds(thrive.assessedAt)} by ${thrive.assessedBy}${thrive.stale ? ` (a re-assessment was due: ${thrive.staleBecause})` : ''}.`}
        </p>
      ) : thrive === null ? (
        <p role="status">Risk not assessed yet.</p>
      ) : thrive.stale ? (
        <p role="alert">Risk re-assessment due: {thrive.staleBecause}.</p>
      ) : waitedTooLong ? (
        <p role="alert">Risk re-assessment due: waiting for a unit longer than grade {incident.grade} allows.</p>
      ) : (
        <p>
          Risk assessed at {wall.timeWithSeconds(thrive.assessedAt)} by {thrive.assessedBy}.
        </p>
      )}
      {mayAssess && !closed && answers === null && (
        <button type="button" onClick={open}>
          {thrive === null ? 'Assess risk' : 'Re-assess risk'}
        </button>
      )}
      {answers !== null && (
        <div className="risk-form" ref={form}>
          <ThriveQuestions type={incident.type} answers={answers} onAnswer={(q, a) => setAnswers((all) => ({ ...all, [q]: a }))} afterLastId={saveId} />
          <button id={saveId} type="button" disabled={action.busy} onClick={save}>
            Save assessment
          </button>
          <button type="button" onClick={() => setAnswers(null)}>
            Cancel assessment
          </button>
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
