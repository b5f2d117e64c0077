import { useCallback, useEffect, useRef, useState } from 'react';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { reviewEventNames, type CallVerdict, type ExerciseReview, type Score } from '../../../shared/training/review-view';
import { useApi } from '../../state/use-api';
import { useWallClock } from '../../app/format';
import { ReviewAnswerChart, ReviewPathChart, ReviewQueueChart } from './review-charts';
import { reviewHtmlFile } from './review-export';
import { ReviewReplay } from './ReviewReplay';
import { useDeskReplay } from './desk-replay-store';
import { windowRole } from '../../app/focus';

export const REVIEW_HEADING_ID = 'exercise-review-heading';

/**
 * The exercise's after-action review on the trainer's desk, over it as a dialog (Esc closes it): computed by the
 * training server from its own record, asked again with Refresh. The scores of the room and of each trainee, the
 * room's measures, the charts, each call against what the scenario expected, and the timeline of every event with
 * the injects beside them, for the room or one trainee; Export saves all of it as one HTML file that opens with no
 * network; Replay plays the exercise back, the queue and the incidents on a plot of the area at its time; Replay on
 * the desk (in the incidents window) plays it back on the desk's own queue and map instead (DeskReplay.tsx).
 */
export function ExerciseReviewDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const api = useApi();
  const [review, setReview] = useState<ExerciseReview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const content = useRef<HTMLDivElement>(null);
  const clock = useWallClock();

  const load = useCallback(() => {
    setProblem(null);
    api.call('exercise.review', {}).then(setReview, (error: Error) => setProblem(error.message));
  }, [api]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      document.getElementById(REVIEW_HEADING_ID)?.focus();
      load();
    } else if (!open && element.open) element.close();
  }, [open, load]);

  const exportFile = () => {
    if (!review || !content.current) return;
    try {
      const html = reviewHtmlFile({
        title: `After-action review: ${review.title}`,
        made: `Exercise time ${clock.dateTime(review.from)} to ${clock.timeWithSeconds(review.to)}; ${review.force}. Exported from the trainer's desk.`,
        bodyHtml: drawnForFile(content.current),
      });
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      const link = document.createElement('a');
      link.href = url;
      // Named as an exercise's too: the file is found by its name in a folder, beside live documents.
      link.download = `training-review-${review.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.html`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(`Saved ${link.download}`);
    } catch (error) {
      setExported((error as Error).message);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby={REVIEW_HEADING_ID} className="review-dialog" onCancel={(e) => (e.preventDefault(), onClose())}>
      <h2 id={REVIEW_HEADING_ID} tabIndex={-1}>
        After-action review{review ? `: ${review.title}` : ''}
      </h2>
      <div className="review-actions" role="group" aria-label="Review">
        <button type="button" onClick={load}>
          Refresh review
        </button>
        <button type="button" onClick={exportFile} disabled={!review}>
          Export as HTML file
        </button>
        {windowRole() === 'incidents' && (
          <button
            type="button"
            disabled={!review}
            onClick={() => {
              if (!review) return;
              useDeskReplay.getState().start(review);
              onClose();
            }}
          >
            Replay on the desk
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close (Esc)
        </button>
        {exported && <span role="status">{exported}</span>}
      </div>
      {problem && <p role="alert">{problem}</p>}
      {open && review && (
        <>
          <div ref={content} className="review-content">
            <ReviewBody review={review} clock={clock} />
          </div>
          <ReviewReplay review={review} />
        </>
      )}
    </dialog>
  );
}

/** The review's markup as drawn, without the window's own controls (the timeline's filter). */
function drawnForFile(element: HTMLElement): string {
  const copy = element.cloneNode(true) as HTMLElement;
  for (const control of copy.querySelectorAll('[data-export="omit"]')) control.remove();
  return copy.innerHTML;
}

/** Seconds in words, or a dash for none. */
const secs = (s: number | null) => (s === null ? '—' : `${s} s`);
const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : 'no');
/** From answering a call to the handler locating it (whole seconds), or null. */
const locatedSeconds = (call: CallVerdict) =>
  call.answeredAt && call.locatedAt ? Math.max(0, Math.round((Date.parse(call.locatedAt) - Date.parse(call.answeredAt)) / 1000)) : null;

/** The review itself: what the window shows and the exported file holds. */
function ReviewBody({ review, clock }: { review: ExerciseReview; clock: WallClock }) {
  const [who, setWho] = useState<string>('');
  const events = who ? review.events.filter((e) => e.kind === 'inject' || e.by === who) : review.events;
  const { calls: c } = review.measures;
  return (
    <>
      <p>
        Exercise time {clock.timeWithSeconds(review.from)} to {clock.timeWithSeconds(review.to)}.
      </p>
      <section aria-labelledby="review-scores">
        <h3 id="review-scores">Scores</h3>
        <ScoreTable review={review} />
      </section>
      <section aria-labelledby="review-measures">
        <h3 id="review-measures">The room’s measures over the exercise</h3>
        <table aria-labelledby="review-measures">
          <tbody>
            <tr>
              <th scope="row">999 calls answered within 10 s</th>
              <td>{c.within10sPercent999 === null ? 'none counted' : `${c.within10sPercent999}% (${c.within10s999} of ${c.counted999})`}</td>
            </tr>
            <tr>
              <th scope="row">999 calls abandoned</th>
              <td>{c.abandonedPercent999 === null ? 'none rang' : `${c.abandonedPercent999}% (${c.abandoned999} of ${c.offered999})`}</td>
            </tr>
            <tr>
              <th scope="row">101 calls abandoned</th>
              <td>{c.abandonedPercent101 === null ? 'none rang' : `${c.abandonedPercent101}% (${c.abandoned101} of ${c.offered101})`}</td>
            </tr>
            <tr>
              <th scope="row">Call to first deployment</th>
              <td>{review.measures.callToDeployment.count === 0 ? 'none deployed' : `median ${secs(review.measures.callToDeployment.medianSeconds)} over ${review.measures.callToDeployment.count}`}</td>
            </tr>
            <tr>
              <th scope="row">Incidents waiting for a unit at the end</th>
              <td>{Object.entries(review.measures.queue.now).map(([grade, n]) => `grade ${grade}: ${n}`).join(', ')}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <section aria-labelledby="review-charts" className="review-charts">
        <h3 id="review-charts">Charts</h3>
        <ReviewAnswerChart review={review} />
        <ReviewQueueChart review={review} clock={clock} />
        <ReviewPathChart review={review} />
      </section>
      {/* Wider than the dialog on a narrow screen: focusable, so the keyboard can scroll it. */}
      <section aria-labelledby="review-calls" tabIndex={0}>
        <h3 id="review-calls">Each call against the scenario</h3>
        <table aria-labelledby="review-calls" className="review-calls">
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Answered by</th>
              <th scope="col">Answer</th>
              <th scope="col">To save</th>
              <th scope="col">To first unit</th>
              <th scope="col">Type (expected)</th>
              <th scope="col">Grade (acceptable)</th>
              <th scope="col">THRIVE</th>
              <th scope="col">Risk flags missed</th>
              <th scope="col">Duplicate spotted</th>
              <th scope="col">Attendance met</th>
              <th scope="col">Unit types missing</th>
              <th scope="col">Located after answer</th>
              <th scope="col">First proposed unit sent</th>
            </tr>
          </thead>
          <tbody>
            {review.calls.map((call) => (
              <tr key={call.callId}>
                <th scope="row">
                  {call.callId} ({call.source}){call.incident ? `, ${call.incident}` : ''}
                </th>
                <td>
                  {call.answeredBy ?? (call.abandoned ? 'abandoned' : '—')}
                  {call.answeredOnPaper && ' (answered on paper)'}
                </td>
                <td data-met={call.answerInTime ?? undefined}>
                  {secs(call.answerSeconds)}
                  {call.answeredOnPaper && ' (paper time)'}
                </td>
                <td data-met={call.savedInTime ?? undefined}>{secs(call.saveSeconds)}</td>
                <td data-met={call.deployedInTime ?? undefined}>
                  {secs(call.deploySeconds)}
                  {call.backEntered && ' (paper times, back-entered)'}
                </td>
                <td data-met={call.typeAgreed ?? undefined}>
                  {call.type ?? '—'} ({call.expectedType ?? 'none'})
                </td>
                <td data-met={call.gradeAgreed ?? undefined}>
                  {call.grade ?? '—'} ({call.expectedGrades.join('/')})
                </td>
                <td>{call.thrive ? `${call.thrive.answered} of ${call.thrive.asked}` : '—'}</td>
                <td data-met={call.riskFlags.found.length + call.riskFlags.missed.length ? call.riskFlags.missed.length === 0 : undefined}>
                  {call.riskFlags.missed.join(', ') || (call.riskFlags.found.length ? 'none' : '—')}
                </td>
                <td data-met={call.duplicateSpotted ?? undefined}>{verdict(call.duplicateSpotted)}</td>
                <td data-met={call.attendanceMet ?? undefined}>{verdict(call.attendanceMet)}</td>
                <td>{call.unitTypes.missing.join(', ') || (call.firstDeployedAt ? 'none' : '—')}</td>
                <td>{secs(locatedSeconds(call))}</td>
                <td>{call.proposed ? `${verdict(call.proposedFirstSent)} (${call.proposed.join(', ') || 'none proposed'})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="review-timeline">
        <h3 id="review-timeline">Timeline</h3>
        <label data-export="omit">
          Show{' '}
          <select value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">the whole room</option>
            {review.trainees.map((t) => (
              <option key={t.operator} value={t.operator}>
                {t.operator}
              </option>
            ))}
          </select>
        </label>
        <table aria-labelledby="review-timeline" className="review-timeline">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">Call</th>
              <th scope="col">Incident</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, i) => (
              <tr key={`${event.at}-${i}`} data-kind={event.kind}>
                <td>{clock.timeWithSeconds(event.at)}</td>
                <td>{reviewEventNames[event.kind]}</td>
                <td>{event.by ?? 'scenario'}</td>
                <td>{event.callId ?? ''}</td>
                <td>{event.incident ?? ''}</td>
                <td>
                  {event.text}
                  {event.backEntered && <span className="back-entered"> — back-entered {clock.time(event.backEntered.enteredAt)} by {event.backEntered.by}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

/** Every score, for the room and for each trainee side by side: met of judged, and the figure behind it. */
function ScoreTable({ review }: { review: ExerciseReview }) {
  const columns: { name: string; scores: Score[] }[] = [{ name: 'The room', scores: review.room }, ...review.trainees.map((t) => ({ name: t.operator, scores: t.scores }))];
  return (
    <table aria-labelledby="review-scores" className="review-scores">
      <thead>
        <tr>
          <th scope="col">Score (target)</th>
          {columns.map((column) => (
            <th scope="col" key={column.name}>
              {column.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {review.room.map((score) => (
          <tr key={score.id}>
            <th scope="row">
              {score.label} <span className="muted">({score.target})</span>
            </th>
            {columns.map((column) => {
              const own = column.scores.find((s) => s.id === score.id);
              return (
                <td key={column.name} data-met={own && own.of > 0 ? own.met === own.of : undefined}>
                  {own ? own.figure : '—'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
