import { useEffect, useRef, useState } from 'react';
import type { ForceConfig } from '../../../shared/domain/force-config';
import type { MeasureLevel } from '../../../shared/measures/measure-levels';
import type { Threshold } from '../../../shared/measures/measures-config';
import type { MeasuresResponse, MeasureWindow } from '../../../shared/sync/measures-protocol';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { formatAge } from '../../../shared/dispatch/handoffs';
import { gradeLabel } from '../incidents/describe';
import { AnswerTimeChart, QueueDepthChart } from './measure-charts';
import { playMeasureAlarm } from './measure-alarm-sound';
import { crossedIntoRed } from './measure-crossings';

export const ROOM_MEASURES_ID = 'room-measures';

/** How often the desk asks the server again. The server's live spans move on every ten seconds. */
const REFRESH_MS = 5_000;

type Live = 'last-hour' | 'shift';
const WINDOWS: readonly Live[] = ['last-hour', 'shift'];

/** One row of the table: a figure's name, its text in each span, its level, and the threshold that set the level. */
interface Row {
  id: string;
  name: string;
  text: (answer: MeasuresResponse) => string;
  /** The level's id in the answer's levels; none: the figure is never coloured. */
  level?: string;
  threshold?: { value: Threshold; lessIsWorse: boolean; unit: string };
}

/**
 * The room's measures, live: the server computes them from its own record (so every desk shows the same figures)
 * for the last hour and for the shift, asked again every five seconds. Each figure turns amber and red at the
 * force's thresholds (in words as well as colour), and sounds once at this workstation when it crosses into red.
 * The charts (999 answer times over the shift, incidents waiting over the shift) each have the table of their
 * figures as their text alternative.
 */
export function RoomMeasures() {
  const api = useApi();
  const config = useConsole((s) => s.config);
  const clock = useWallClock();
  const [answers, setAnswers] = useState<Partial<Record<Live, MeasuresResponse>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const levelsSeen = useRef(new Map<string, MeasureLevel>());
  /** How many times this window sounded a crossing into red (for tests, as the desk alarms' data-sounded-here). */
  const [sounded, setSounded] = useState(0);

  useEffect(() => {
    let stopped = false;
    const ask = async () => {
      try {
        const got = await Promise.all(WINDOWS.map((kind) => api.call('measures.get', { window: { kind } satisfies MeasureWindow })));
        if (stopped) return;
        setAnswers({ 'last-hour': got[0], shift: got[1] });
        setProblem(null);
      } catch (error) {
        if (!stopped) setProblem((error as Error).message);
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  // A figure crossing into red sounds once at this workstation: the first of its windows to see it plays it, and
  // figures crossing together (the same one in both spans, say) sound once between them. Each crossing's key names
  // the span's end when it was first seen red, the same in every window (the server's spans move in slots).
  useEffect(() => {
    const seen = WINDOWS.flatMap((kind) => (answers[kind] ? [{ span: kind, levels: answers[kind].levels, to: answers[kind].window.to }] : []));
    const crossed = crossedIntoRed(levelsSeen.current, seen);
    if (crossed.length === 0) return;
    const to = seen[0]!.to;
    void Promise.all(crossed.map((key) => api.call('alarms.sound', { key: `measures:${key}:${to}` }).then(({ play }) => play, () => false))).then((plays) => {
      if (!plays.some(Boolean)) return;
      playMeasureAlarm();
      setSounded((n) => n + 1);
    });
  }, [answers, api]);

  if (!config) return null;
  const rows = rowsFor(config);
  const shift = answers.shift;
  const since = (answer: MeasuresResponse | undefined) => (answer ? clock.time(answer.window.from) : '…');
  const heads: Record<Live, string> = {
    'last-hour': 'Last hour',
    shift: shift?.window.shiftName ? `${shift.window.shiftName} shift, since ${since(shift)}` : 'This shift',
  };
  const asOf = answers['last-hour']?.window.to;

  return (
    // Focusable: on a short screen the measures scroll, and the keyboard must be able to scroll them too.
    <section id={ROOM_MEASURES_ID} aria-labelledby="room-measures-heading" className="room-measures" tabIndex={0} data-red-sounds={sounded}>
      <h2 id="room-measures-heading">Room measures</h2>
      <p className="as-of" aria-live="polite">
        {problem ? <span role="alert">Measures not updated: {problem}</span> : asOf ? `Computed by the server, as of ${clock.timeWithSeconds(asOf)}` : 'Asking the server…'}
      </p>
      <div className="measures-body">
        <table>
          <caption className="visually-hidden">Room measures for the last hour and for the shift, with their levels against the force's thresholds</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              {WINDOWS.map((kind) => (
                <th scope="col" key={kind}>
                  {heads[kind]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-measure={row.id}>
                <th scope="row">{row.name}</th>
                {WINDOWS.map((kind) => {
                  const answer = answers[kind];
                  const level = (row.level && answer?.levels[row.level]) || 'none';
                  return (
                    <td key={kind} data-level={level} data-window={kind}>
                      {answer ? row.text(answer) : '…'}
                      {level === 'amber' || level === 'red' ? <span className="level"> {levelWords(level, row.threshold)}</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {shift && (
          <div className="measure-charts">
            <AnswerTimeChart answer={shift} />
            <QueueDepthChart answer={shift} config={config} clock={clock} />
          </div>
        )}
      </div>
    </section>
  );
}

/** "red: below 80%", the level in words, with the threshold that set it. */
function levelWords(level: 'amber' | 'red', threshold: Row['threshold']): string {
  if (!threshold) return `(${level})`;
  const bound = level === 'red' ? threshold.value.red : threshold.value.amber;
  return `(${level}: ${threshold.lessIsWorse ? 'below' : 'above'} ${bound}${threshold.unit})`;
}

const pct = (value: number | null) => (value === null ? 'no calls' : `${value}%`);
const secs = (value: number | null) => (value === null ? '–' : value >= 120 ? `${Math.floor(value / 60)} min ${Math.round(value % 60)} s` : `${value} s`);

function rowsFor(config: ForceConfig): Row[] {
  const thresholds = config.measures.thresholds;
  const targeted = config.grades.filter((g) => g.attendanceTargetMinutes !== null);
  const rows: Row[] = [
    {
      id: 'answered999Within10s',
      name: '999 answered within 10 s',
      text: ({ measures: { calls } }) => (calls.counted999 ? `${pct(calls.within10sPercent999)} (${calls.within10s999} of ${calls.counted999})` : 'no calls'),
      level: 'answered999Within10s',
      ...(thresholds.answered999Within10s ? { threshold: { value: thresholds.answered999Within10s, lessIsWorse: true, unit: '%' } } : {}),
    },
    {
      id: 'answerTime999',
      name: '999 answer time (median, 90th percentile)',
      text: ({ measures }) => {
        const times = measures.answerTimes.find((a) => a.source === '999');
        return times?.answered ? `${secs(times.medianSeconds)}, ${secs(times.p90Seconds)}` : 'none answered';
      },
    },
    {
      id: 'abandoned999',
      name: '999 calls abandoned',
      text: ({ measures: { calls } }) => (calls.offered999 ? `${pct(calls.abandonedPercent999)} (${calls.abandoned999} of ${calls.offered999})` : 'no calls'),
      level: 'abandoned999',
      ...(thresholds.abandoned999 ? { threshold: { value: thresholds.abandoned999, lessIsWorse: false, unit: '%' } } : {}),
    },
    {
      id: 'abandoned101',
      name: '101 calls abandoned',
      text: ({ measures: { calls } }) => (calls.offered101 ? `${pct(calls.abandonedPercent101)} (${calls.abandoned101} of ${calls.offered101})` : 'no calls'),
    },
  ];
  for (const grade of targeted) {
    const threshold = thresholds.queueDepth[grade.code];
    rows.push({
      id: `queueDepth:${grade.code}`,
      name: `${gradeLabel(config, grade.code)} waiting for a unit now`,
      text: ({ measures }) => String(measures.queue.now[grade.code] ?? 0),
      level: `queueDepth:${grade.code}`,
      ...(threshold ? { threshold: { value: threshold, lessIsWorse: false, unit: '' } } : {}),
    });
  }
  for (const grade of targeted) {
    const threshold = thresholds.callToDeploymentP90Minutes[grade.code];
    rows.push({
      id: `callToDeployment:${grade.code}`,
      name: `${gradeLabel(config, grade.code)}: call to first deployment (median, 90th percentile)`,
      text: ({ measures }) => {
        const times = measures.callToDeployment.byGrade[grade.code];
        return times?.count ? `${secs(times.medianSeconds)}, ${secs(times.p90Seconds)} (${times.count})` : 'none deployed';
      },
      level: `callToDeployment:${grade.code}`,
      ...(threshold ? { threshold: { value: threshold, lessIsWorse: false, unit: ' min' } } : {}),
    });
  }
  for (const grade of targeted) {
    const threshold = thresholds.attendanceMet[grade.code];
    rows.push({
      id: `attendanceMet:${grade.code}`,
      name: `${gradeLabel(config, grade.code)}: attendance targets met`,
      text: ({ measures }) => {
        const row = measures.attendance.find((a) => a.grade === grade.code);
        return row && row.met + row.missed ? `${pct(row.metPercent)} (${row.met} of ${row.met + row.missed})` : 'none due';
      },
      level: `attendanceMet:${grade.code}`,
      ...(threshold ? { threshold: { value: threshold, lessIsWorse: true, unit: '%' } } : {}),
    });
  }
  rows.push({
    id: 'handoffsWaiting',
    name: 'Incidents waiting for a dispatcher to take them now',
    text: ({ measures: { handoffsWaiting: h } }) =>
      h.waiting === 0 ? 'none' : `${h.waiting} (${h.pastTime} past their time, ${h.escalated} with the supervisor); longest ${formatAge((h.oldestSeconds ?? 0) * 1000)}`,
    // Its thresholds are the force's untaken times: amber once one is past its time, red once one is with the supervisor.
    level: 'handoffsWaiting',
  });
  return rows;
}
