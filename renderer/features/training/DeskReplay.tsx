import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { INCIDENT_LIST_ID } from '../incidents/IncidentList';
import { homeOf } from '../../../shared/domain/force-config';
import { DESK_REPLAY_SPEEDS, replayOnDesk, replaySeek, replayStep, type DeskReplaySpeed, type DeskReplayState } from '../../../shared/training/replay';
import { useWallClock } from '../../app/format';
import { focusById } from '../../app/focus';
import { LongListbox } from '../../app/LongListbox';
import { useConsole } from '../../state/use-console';
import { gradeLabel, typeName } from '../incidents/describe';
import { useDeskReplay } from './desk-replay-store';

/** How often a playing replay moves on (real ms). */
const TICK_MS = 250;
export const REPLAY_QUEUE_ID = 'replay-queue';
const REPLAY_BAR_HEADING = 'desk-replay-heading';

/** The desk as the replay has it now (null: no replay): the queue and the units, from the review, never the store. */
export function useDeskReplayState(): DeskReplayState | null {
  const review = useDeskReplay((s) => s.review);
  const atMs = useDeskReplay((s) => s.atMs);
  const config = useConsole((s) => s.config);
  return useMemo(() => {
    if (!review) return null;
    return replayOnDesk(review, atMs, (callSign) => {
      const unit = config?.units.find((u) => u.callSign === callSign);
      return (unit && config && homeOf(config, unit)) ?? null;
    });
  }, [review, atMs, config]);
}

/**
 * The replay's controls, over the desk it drives, marked so that nobody takes it for the live desk: play and pause,
 * the speed, the time (a slider the keyboard moves: arrows ten seconds, Shift and an arrow one, Page Up and Down a
 * minute, Home and End),
 * and the way back. Esc anywhere in the window leaves the replay, and the queue and the map are live again, as
 * they were. Its start and end are announced.
 */
export function DeskReplayBar() {
  const review = useDeskReplay((s) => s.review);
  const atMs = useDeskReplay((s) => s.atMs);
  const playing = useDeskReplay((s) => s.playing);
  const speed = useDeskReplay((s) => s.speed);
  const { seek, setPlaying, setSpeed, leave } = useDeskReplay.getState();
  const clock = useWallClock();
  const left = useDeskReplay((s) => s.left);
  const bar = useRef<HTMLElement>(null);

  const span = useMemo(() => (review ? { fromMs: Date.parse(review.from), toMs: Date.parse(review.to) } : null), [review]);

  // Playing: the time moves on by the real time passed, times the speed.
  useEffect(() => {
    if (!playing || !span) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const step = replayStep(useDeskReplay.getState().atMs, now - last, useDeskReplay.getState().speed, span);
      last = now;
      seek(step.atMs);
      if (step.ended) setPlaying(false);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, span, seek, setPlaying]);

  // Esc leaves the replay from anywhere in the window (but a dialog open over the desk has it first).
  useEffect(() => {
    if (!review) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || (event.target instanceof Element && event.target.closest('dialog[open]'))) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      leave();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [review, leave]);

  // The keyboard goes to the replay as it starts, and back to the live queue as it ends.
  useEffect(() => {
    if (!review) return;
    bar.current?.querySelector<HTMLElement>('h2')?.focus();
    return () => focusById(INCIDENT_LIST_ID);
  }, [review]);

  // Always there, so that a screen reader announces each change: the replay starting, and the desk live again.
  const announcement = (
    <p role="status" aria-label="Replay status" className="visually-hidden">
      {review
        ? `Replay of ${review.title} on the desk: the queue and the map show the exercise as it was, not the live desk. Escape returns to the live desk.`
        : left
          ? 'Back to the live desk.'
          : ''}
    </p>
  );
  if (!review || !span) return announcement;
  const onSliderKey = (event: KeyboardEvent<HTMLInputElement>) => {
    const to = replaySeek(atMs, event.key, span, event.shiftKey);
    if (to === null) return;
    event.preventDefault();
    seek(to);
  };
  return (
    <section ref={bar} className="desk-replay" aria-labelledby={REPLAY_BAR_HEADING}>
      <h2 id={REPLAY_BAR_HEADING} tabIndex={-1}>
        REPLAY — NOT THE LIVE DESK: {review.title}
      </h2>
      {announcement}
      <div role="group" aria-label="Replay on the desk" className="desk-replay-controls">
        <button type="button" onClick={() => (atMs >= span.toMs ? (seek(span.fromMs), setPlaying(true)) : setPlaying(!playing))}>
          {playing ? 'Pause the replay' : 'Play the replay'}
        </button>
        <label>
          Replay speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value) as DeskReplaySpeed)}>
            {DESK_REPLAY_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label>
          Replay time{' '}
          <input
            type="range"
            min={span.fromMs}
            max={span.toMs}
            step={1000}
            value={atMs}
            aria-valuetext={clock.timeWithSeconds(atMs)}
            onKeyDown={onSliderKey}
            onChange={(e) => seek(Number(e.target.value))}
          />
        </label>
        <output aria-label="Replay at">{clock.timeWithSeconds(atMs)}</output>
        <button type="button" onClick={leave}>
          Back to the live desk (Esc)
        </button>
      </div>
    </section>
  );
}

/**
 * The desk's queue in the replay: the incidents open at the replay's time, those waiting for a unit first, each with
 * its state and the units sent, in the place of the live queue and read the same way.
 */
export function ReplayQueue({ replay }: { replay: DeskReplayState }) {
  const config = useConsole((s) => s.config);
  const clock = useWallClock();
  const [active, setActive] = useState<string | null>(null);
  const items = replay.queue.map((incident) => ({ ...incident, id: incident.reference }));
  return (
    <section className="incident-list replay-queue" aria-labelledby="replay-queue-heading">
      <h2 id="replay-queue-heading">
        Open incidents at {clock.timeWithSeconds(replay.atMs)} in the replay ({items.length})
      </h2>
      <LongListbox
        id={REPLAY_QUEUE_ID}
        label="Open incidents in the replay"
        items={items}
        activeId={active}
        optionIdPrefix="replay-incident-"
        rowPxEstimate={70}
        onActivate={(incident) => setActive(incident.id)}
        row={(incident, position, of) => (
          <li
            key={incident.id}
            id={`replay-incident-${incident.id}`}
            role="option"
            aria-selected={incident.id === active}
            aria-posinset={position}
            aria-setsize={of}
            data-row
            data-grade={incident.grade}
            onClick={() => setActive(incident.id)}
          >
            <span className="ref">{incident.reference}</span>{' '}
            <span className="grade">{gradeLabel(config, incident.grade)}</span>{' '}
            <span className="type">{typeName(config, incident.type)}</span>{' '}
            <span className="time">{clock.time(incident.savedAt)}</span>{' '}
            <span className="replay-state">{incident.state}</span>{' '}
            <span className="units">{incident.units.join(', ')}</span>
          </li>
        )}
        empty="No open incidents at this time of the exercise."
      />
    </section>
  );
}
