import { useEffect, useId, useState } from 'react';
import { EXERCISE_SPEEDS, type ExerciseSpeed } from '../../../shared/domain/exercise-clock';
import { ContactSource, contactSourceNames } from '../../../shared/domain/contact';
import type { ExerciseStatus, ExerciseTimeline } from '../../../shared/training/exercise-view';
import type { RequestOf } from '../../../shared/contract/channels';
import { useActionsInTurn } from '../../app/use-action';
import { useNow } from '../../app/use-now';
import { plural, useWallClockIfLoaded } from '../../app/format';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { ExerciseReviewDialog } from './ExerciseReviewDialog';
import { SYSTEM_DOWN } from '../../../shared/training/exercise-outages';
import { PaperForms } from './PaperForms';
import type { TraineeView } from '../../../shared/training/exercise-room';
import { activityWords } from '../../../shared/training/trainee-activity';
import { roleNames } from '../../../shared/domain/operator';

/**
 * The exercise clock in words: a paused exercise must be unmistakable on every desk, and so must a trainee's desk
 * that cannot hear the training server (its clock runs on as last heard, and may be wrong: the trainer may have paused).
 */
function clockWords(status: ExerciseStatus): string {
  const { running, speed } = status.clock;
  const heard = running ? (speed === 1 ? 'running' : `running at ${speed}× speed`) : 'paused';
  if (!status.confirmed) return `Exercise time not confirmed: no word from the training server (last heard: ${heard})`;
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
  const training = exercise !== null;
  // The window's title too: it leaves the screen in the taskbar, the window switcher and a printed page's header.
  useEffect(() => {
    if (!training) return;
    const before = document.title;
    document.title = `TRAINING EXERCISE — ${before}`;
    return () => {
      document.title = before;
    };
  }, [training]);
  if (!exercise) return null;
  const trainer = exercise.desk === 'trainer' && (operator?.roles.includes('trainer') ?? false);
  return (
    <section className="exercise-banner" aria-label="Training exercise — not live" data-running={exercise.clock.running} data-confirmed={exercise.confirmed}>
      <p className="exercise-mark">
        <strong>TRAINING EXERCISE — NOT LIVE</strong>
        {exercise.title && <span> · {exercise.title}</span>}
        <span> · exercise time {wall ? wall.time(now) : ''}</span>
      </p>
      <p role="status" className="exercise-clock">
        {clockWords(exercise)}
      </p>
      {trainer && <TrainerControls status={exercise} />}
      {exercise.desk === 'trainee' && <SystemDown />}
    </section>
  );
}

/**
 * A trainee's desk while the exercise's whole system is down ("CAD down"): it says so, in words a screen reader
 * announces, and offers the paper forms to print. The training server's answer to every request says the system is
 * down (shared/training/exercise-outages.ts), which the link keeps as its last error until a request goes through.
 * Once it is back, the status bar offers catch-up (renderer/features/catch-up/), as on a live desk after an outage.
 */
function SystemDown() {
  const sync = useConsole((s) => s.sync);
  const config = useConsole((s) => s.config);
  // Kept from the server's first word that the system is down until the link is back (a failed reconnect in
  // between says only that the server cannot be reached).
  const [down, setDown] = useState(false);
  const online = sync?.connection === 'online';
  const saysDown = sync?.lastError?.includes(SYSTEM_DOWN) ?? false;
  // Adjusted while rendering (React's pattern for state that follows a prop), not in an effect.
  if (online && down) setDown(false);
  else if (!online && saysDown && !down) setDown(true);
  if (!down || !config) return null;
  return (
    <div className="system-down">
      <p role="alert">
        <strong>CAD DOWN</strong>: the system is down. Record every call and incident on the paper forms, with its times, until it is back.
      </p>
      <button type="button" onClick={() => window.print()}>
        Print paper forms
      </button>
      <PaperForms config={config} training />
    </div>
  );
}

/** Start, pause, resume, the speed, the next inject, an inject now, a call by hand; and the timeline with its notes. */
function TrainerControls({ status }: { status: ExerciseStatus }) {
  const api = useApi();
  // A press while the last is on its way to the training server (pause straight after start) is kept, in order.
  const action = useActionsInTurn();
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
  // The injects still to come (null until the timeline is read): with none, there is no next inject to jump to.
  const left = timeline ? timeline.entries.filter((entry) => entry.done === null).length : null;
  const leftId = useId();
  return (
    <div className="trainer-controls">
      {timeline?.systemDownUntil && <TraineesSystemDown until={timeline.systemDownUntil} />}
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
        {/* Unavailable but still focused and described (aria-disabled): disabled outright, the trainer's last press
            would drop the keyboard focus to nowhere. The core refuses a press that crosses the last inject anyway. */}
        <button type="button" aria-disabled={left === 0} aria-describedby={leftId} onClick={() => left !== 0 && control({ action: 'next' })}>
          Next inject
        </button>
        <span id={leftId} className="injects-left">
          {left === null ? '' : left === 0 ? 'No injects left: every inject has happened' : `${plural(left, 'inject')} still to come`}
        </span>
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
      <Trainees status={status} />
      {timeline && (
        <details className="exercise-timeline">
          <summary>Timeline and notes (trainer only)</summary>
          {timeline.notes && <p className="exercise-notes">{timeline.notes}</p>}
          {timeline.started && (
            <div className="exercise-start">
              <p>Starting state put in place at {wall ? wall.time(timeline.started.at) : timeline.started.at}.</p>
              {timeline.started.missing.length > 0 && (
                <ul aria-label="Starting state for the trainer to put in place">
                  {timeline.started.missing.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
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

/**
 * On the trainer's desk while the exercise's whole system is down for the trainees ("CAD down"): the trainer's own
 * desk runs on (it runs the exercise, and no outage reaches it), so only this says that the trainees' desks are down
 * and working on paper, and until when in exercise time. It goes when that time comes (a pause holds it).
 */
function TraineesSystemDown({ until }: { until: string }) {
  const now = useNow(1000);
  const wall = useWallClockIfLoaded();
  if (now >= Date.parse(until)) return null;
  return (
    <p role="alert" className="trainer-system-down">
      {/* Not "exercise time": that names the banner's clock, which a reader (and a test) finds by those words. */}
      <strong>CAD DOWN</strong> for the trainees until {wall ? wall.time(until) : until} by the exercise clock: their desks say the system
      is down and they work on paper. This desk runs on.
    </p>
  );
}

/** How often the trainer’s desk asks who has joined and what each is doing (ms): the room tells no event of its own. */
const TRAINEES_REFRESH_MS = 2000;

/**
 * The trainees who have joined: their workstation, who is signed in with which roles, and what each is doing now
 * (answering or recording a call, dispatching or recording an incident, idle, signed out, link lost), as the training
 * server saw it (shared/training/trainee-activity.ts).
 */
function Trainees({ status }: { status: ExerciseStatus }) {
  const api = useApi();
  const wall = useWallClockIfLoaded();
  const [trainees, setTrainees] = useState<TraineeView[]>([]);
  useEffect(() => {
    const ask = () => void api.call('exercise.trainees', {}).then(setTrainees, () => undefined);
    ask();
    const timer = setInterval(ask, TRAINEES_REFRESH_MS);
    return () => clearInterval(timer);
  }, [api, status]);
  return (
    <div className="exercise-trainees">
      <h2>Trainees</h2>
      {trainees.length === 0 ? (
        <p>No trainee has joined yet.</p>
      ) : (
        <ul aria-label="Trainees">
          {trainees.map((trainee) => (
            <li key={trainee.workstation}>
              <strong>{trainee.workstation}</strong>:{' '}
              {/* With nobody signed in, what it is doing says so ("nobody signed in", "signed out at 22:40"), once. */}
              {trainee.operator && `${trainee.operator} (${trainee.roles.map((role) => roleNames[role]).join(', ')}) — `}
              <span className="trainee-doing" data-doing={trainee.doing.kind}>
                {activityWords(trainee.doing, (iso) => (wall ? wall.time(iso) : iso))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
