import { useEffect, useMemo, useState } from 'react';
import { replayAt, type ReplayIncidentState } from '../../../shared/training/replay';
import type { ExerciseReview } from '../../../shared/training/review-view';
import { useWallClock } from '../../app/format';

const SPEEDS = [10, 30, 60] as const;
/** How often the replay moves on while it plays (real ms). */
const TICK_MS = 250;
const PLOT = { width: 360, height: 240, pad: 16 };

const stateColour: Record<ReplayIncidentState, string> = {
  'waiting for a unit': 'var(--bad)',
  'unit on the way': 'var(--warn)',
  'unit at scene': 'var(--ok)',
  closed: 'var(--muted)',
};

/**
 * The exercise played back at 10, 30 or 60 times: the queue (the calls ringing and being taken) and each incident's
 * state at the replay's time, and where the incidents were on a plot of the area, coloured by state. The time is a
 * slider a keyboard moves (arrows a second, Page Up and Down a tenth of the exercise); the lists are the plot's text.
 */
export function ReviewReplay({ review }: { review: ExerciseReview }) {
  const clock = useWallClock();
  const fromMs = Date.parse(review.from);
  const toMs = Date.parse(review.to);
  const [atMs, setAtMs] = useState(fromMs);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(30);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setAtMs((at) => {
        const next = Math.min(toMs, at + TICK_MS * speed);
        if (next >= toMs) setPlaying(false);
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, toMs]);

  const state = useMemo(() => replayAt(review, atMs), [review, atMs]);
  const places = new Map(review.incidents.map((incident) => [incident.reference, incident]));
  const points = review.incidents.flatMap((incident) => (incident.point ? [incident.point] : []));
  const bounds = points.length
    ? { minLat: Math.min(...points.map((p) => p.lat)), maxLat: Math.max(...points.map((p) => p.lat)), minLon: Math.min(...points.map((p) => p.lon)), maxLon: Math.max(...points.map((p) => p.lon)) }
    : null;
  const place = (point: { lat: number; lon: number }) => {
    const b = bounds!;
    const x = PLOT.pad + ((point.lon - b.minLon) / (b.maxLon - b.minLon || 1)) * (PLOT.width - 2 * PLOT.pad);
    const y = PLOT.pad + ((b.maxLat - point.lat) / (b.maxLat - b.minLat || 1)) * (PLOT.height - 2 * PLOT.pad);
    return { x, y };
  };

  return (
    <section aria-labelledby="review-replay" className="review-replay">
      <h3 id="review-replay">Replay</h3>
      <div role="group" aria-label="Replay controls" className="review-actions">
        <button type="button" onClick={() => (atMs >= toMs ? (setAtMs(fromMs), setPlaying(true)) : setPlaying(!playing))}>
          {playing ? 'Pause replay' : 'Play replay'}
        </button>
        <label>
          Replay speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value) as (typeof SPEEDS)[number])}>
            {SPEEDS.map((s) => (
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
            min={fromMs}
            max={toMs}
            step={1000}
            value={atMs}
            aria-valuetext={clock.timeWithSeconds(atMs)}
            onKeyDown={(e) => {
              const tenth = Math.max(1000, Math.round((toMs - fromMs) / 10));
              if (e.key === 'PageUp' || e.key === 'PageDown') {
                e.preventDefault();
                setAtMs((at) => Math.min(toMs, Math.max(fromMs, at + (e.key === 'PageUp' ? tenth : -tenth))));
              }
            }}
            onChange={(e) => setAtMs(Number(e.target.value))}
          />
        </label>
        <output aria-live="off">{clock.timeWithSeconds(atMs)}</output>
      </div>
      <div className="replay-views">
        {bounds && (
          // Drawn in its own units (viewBox) and scaled to the width the dialog gives it (styles.css).
          <svg aria-hidden="true" viewBox={`0 0 ${PLOT.width} ${PLOT.height}`} width={PLOT.width} height={PLOT.height} className="replay-plot">
            <rect x={0} y={0} width={PLOT.width} height={PLOT.height} fill="var(--panel-2)" />
            {state.incidents.map((incident) => {
              const point = places.get(incident.reference)?.point;
              if (!point) return null;
              const { x, y } = place(point);
              return (
                <g key={incident.reference}>
                  <circle cx={x} cy={y} r={7} fill={stateColour[incident.state]} stroke="var(--text)" />
                  <text x={x + 9} y={y + 4} fontSize={10} fill="var(--text)">
                    {incident.reference.slice(-4)}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
        <div>
          <h4>Calls in the queue at {clock.timeWithSeconds(atMs)}</h4>
          {state.calls.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul aria-label="Calls in the queue at the replay time">
              {state.calls.map((call) => (
                <li key={call.call}>
                  {call.call}: {call.state} since {clock.timeWithSeconds(call.since)}
                </li>
              ))}
            </ul>
          )}
          <h4>Incidents at {clock.timeWithSeconds(atMs)}</h4>
          {state.incidents.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <ul aria-label="Incidents at the replay time">
              {state.incidents.map((incident) => (
                <li key={incident.reference}>
                  {incident.reference}
                  {incident.callId ? ` (${incident.callId})` : ''}: {incident.state}
                  {incident.units.length ? `, ${incident.units.join(', ')}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
