import { useEffect, useState } from 'react';
import { EXERCISE_SPEEDS, type ExerciseSpeed } from '../../../shared/domain/exercise-clock';
import { ContactSource, contactSourceNames } from '../../../shared/domain/contact';
import type { ExerciseStatus, ExerciseTimeline } from '../../../shared/training/exercise-view';
import type { RequestOf } from '../../../shared/contract/channels';
import { useAction } from '../../app/use-action';
import { useNow } from '../../app/use-now';
import { useWallClockIfLoaded } from '../../app/format';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { ExerciseReviewDialog } from './ExerciseReviewDialog';

/** The exercise clock in words: a paused exercise must be unmistakable on every desk. */
function clockWords(status: ExerciseStatus): string {
  const { running, speed } = status.clock;
  if (running) return speed === 1 ? 'Exercise running' : `Exercise running at ${speed}× speed`;
  return 'Exercise paused: the clocks have stopped';
}

/**
 * The mark of a training workstation, at the top of every window, sign-in screen included: in its own colour and in
 * words a screen reader reads as a landmark and announces as the exercise pauses and runs, so nobody mistakes an
 * exercise for live. On the trainer's desk, with a trainer signed in, it carries the exercise's controls.
 */
export function ExerciseBanner() {
  const exercise = useConsole((s) => s.exercise);
  const operator = useConsole((s) => s.session?.operator ?? null);
  const wall = useWallClockIfLoaded();
  const now = useNow(1000);
  if (!exercise) return null;
  const trainer = exercise.desk === 'trainer' && (operator?.roles.includes('trainer') ?? false);
  return (
    <section className="exercise-banner" aria-label="Training exercise — not live" data-running={exercise.clock.running}>
      <p className="exercise-mark">
        <strong>TRAINING EXERCISE — NOT LIVE</strong>
        {exercise.title && <span> · {exercise.title}</span>}
        <span> · exercise time {wall ? wall.time(now) : ''}</span>
      </p>
      <p role="status" className="exercise-clock">
        {clockWords(exercise)}
      </p>
      {trainer && <TrainerControls status={exercise} />}
    </section>
  );
}

/** Start, pause, resume, the speed, the next inject, an inject now, a call by hand; and the timeline with its notes. */
function TrainerControls({ status }: { status: ExerciseStatus }) {
  const api = useApi();
  const action = useAction();
  const [timeline, setTimeline] = useState<ExerciseTimeline | null>(null);
  const wall = useWallClockIfLoaded();
  const [source, setSource] = useState<ContactSource>('999');
  const [number, setNumber] = useState('');
  const [reviewing, setReviewing] = useState(false);
  useEffect(() => {
    void api.call('exercise.timeline', {}).then(setTimeline, () => setTimeline(null));
  }, [api, status]);
  const control = (request: RequestOf<'exercise.control'>) => void action.run(() => api.call('exercise.control', request));
  const { running, speed } = status.clock;
  // Not started: standing still where the scenario starts.
  const started = running || (timeline !== null && Date.parse(status.clock.at) !== Date.parse(timeline.startsAt));
  return (
    <div className="trainer-controls">
      <div role="group" aria-label="Exercise clock">
        {running ? (
          <button type="button" onClick={() => control({ action: 'pause' })}>
            Pause exercise
          </button>
        ) : (
          <button type="button" onClick={() => control({ action: started ? 'resume' : 'start' })}>
            {started ? 'Resume exercise' : 'Start exercise'}
          </button>
        )}
        <label>
          Speed{' '}
          <select value={speed} onChange={(e) => control({ action: 'speed', speed: Number(e.target.value) as ExerciseSpeed })}>
            {EXERCISE_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => control({ action: 'next' })}>
          Next inject
        </button>
      </div>
      <button type="button" onClick={() => setReviewing(true)}>
        After-action review
      </button>
      <ExerciseReviewDialog open={reviewing} onClose={() => setReviewing(false)} />
      <form
        aria-label="Add a call by hand"
        onSubmit={(e) => {
          e.preventDefault();
          control({ action: 'addCall', source, callerNumber: number.trim() || null });
          setNumber('');
        }}
      >
        <label>
          Source{' '}
          <select value={source} onChange={(e) => setSource(ContactSource.parse(e.target.value))}>
            {ContactSource.options.map((s) => (
              <option key={s} value={s}>
                {contactSourceNames[s]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Caller number <input value={number} onChange={(e) => setNumber(e.target.value)} maxLength={40} />
        </label>{' '}
        <button type="submit">Add call</button>
      </form>
      {action.error && <p role="alert">{action.error}</p>}
      {timeline && (
        <details className="exercise-timeline">
          <summary>Timeline and notes (trainer only)</summary>
          {timeline.notes && <p className="exercise-notes">{timeline.notes}</p>}
          <ol aria-label="Injects">
            {timeline.entries.map((entry) => (
              <li key={entry.index} data-done={entry.done !== null}>
                <span className="time">{wall ? wall.time(entry.at) : entry.at}</span> {entry.label}{' '}
                {entry.done === null ? (
                  <button type="button" aria-label={`Inject ${entry.index + 1} now`} onClick={() => control({ action: 'injectNow', index: entry.index })}>
                    Now
                  </button>
                ) : (
                  <span className="done">happened {wall ? wall.time(entry.done) : entry.done}</span>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
