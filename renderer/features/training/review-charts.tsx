import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { WallClock } from '../../../shared/domain/wall-clock';
import type { ExerciseReview } from '../../../shared/training/review-view';
import { ANSWER_TARGET_SECONDS } from '../../../shared/training/exercise-review';

const WIDTH = 560;
const HEIGHT = 220;

/** The chart colours, read from the theme where the chart is drawn (SVG attributes take no CSS variables). */
function colour(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const axis = () => ({ fill: colour('--muted', '#9fb0c0'), fontSize: 11 });

/**
 * Each scenario call's answer time (recharts), with the 999 target drawn across. The drawing is hidden from screen
 * readers; the table of the same figures beside it is its text alternative. In the exported file it is the SVG as
 * drawn here.
 */
export function ReviewAnswerChart({ review }: { review: ExerciseReview }) {
  const data = review.calls.filter((call) => call.answerSeconds !== null).map((call) => ({ call: call.callId, seconds: call.answerSeconds!, source: call.source }));
  return (
    <figure className="review-chart" aria-labelledby="review-answer-caption">
      <figcaption id="review-answer-caption">Answer time of each call (seconds; the line is 999’s {ANSWER_TARGET_SECONDS['999']} s)</figcaption>
      <div aria-hidden="true" className="chart-drawing">
        <BarChart width={WIDTH} height={HEIGHT} data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={colour('--panel-2', '#1f2a35')} />
          <XAxis dataKey="call" tick={axis()} interval={0} angle={-20} textAnchor="end" height={50} />
          <YAxis allowDecimals={false} tick={axis()} width={36} />
          <ReferenceLine y={ANSWER_TARGET_SECONDS['999']} stroke={colour('--priority-1', '#ff5c5c')} strokeDasharray="4 2" />
          <Bar dataKey="seconds" name="answer time (s)" fill={colour('--accent', '#4db3ff')} isAnimationActive={false} />
        </BarChart>
      </div>
      <table className="visually-hidden">
        <caption>Answer time of each call</caption>
        <thead>
          <tr>
            <th scope="col">Call</th>
            <th scope="col">Source</th>
            <th scope="col">Seconds</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.call}>
              <th scope="row">{d.call}</th>
              <td>{d.source}</td>
              <td>{d.seconds}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Incidents waiting for their first unit through the exercise, one line per grade (recharts), with its table. */
export function ReviewQueueChart({ review, clock }: { review: ExerciseReview; clock: WallClock }) {
  const grades = Object.keys(review.measures.queue.now);
  const data = review.measures.queue.series.map((point) => ({ time: clock.time(point.at), ...point.byGrade }));
  const colours = ['--priority-1', '--priority-2', '--priority-4', '--priority-5'];
  const every = Math.max(1, Math.ceil(data.length / 10));
  const rows = data.filter((_, i) => i % every === 0 || i === data.length - 1);
  return (
    <figure className="review-chart" aria-labelledby="review-queue-caption">
      <figcaption id="review-queue-caption">Incidents waiting for a unit through the exercise, by grade</figcaption>
      <div aria-hidden="true" className="chart-drawing">
        <LineChart width={WIDTH} height={HEIGHT} data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={colour('--panel-2', '#1f2a35')} />
          <XAxis dataKey="time" tick={axis()} minTickGap={24} />
          <YAxis allowDecimals={false} tick={axis()} width={36} />
          <Legend />
          {grades.map((code, i) => (
            <Line key={code} type="stepAfter" dataKey={code} name={`grade ${code}`} stroke={colour(colours[i] ?? '--accent', '#4db3ff')} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </div>
      <table className="visually-hidden">
        <caption>Incidents waiting for a unit, by grade</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {grades.map((code) => (
              <th scope="col" key={code}>
                Grade {code}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.time}-${i}`}>
              <th scope="row">{row.time}</th>
              {grades.map((code) => (
                <td key={code}>{(row as Record<string, number | string>)[code] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The stages of a call's path, in order, as the chart stacks them. */
const STAGES = [
  { key: 'ringing', name: 'ringing', colour: ['--priority-1', '#ff5c5c'] },
  { key: 'taking', name: 'taking the call', colour: ['--priority-2', '#ffa63d'] },
  { key: 'dispatching', name: 'waiting for a unit', colour: ['--priority-4', '#5cc8ff'] },
  { key: 'travelling', name: 'travelling', colour: ['--ok', '#5cd68a'] },
] as const;

/**
 * Each call's path from ringing to a unit at scene (recharts, stacked): ringing until answered, taking it until its
 * incident was saved, waiting for the first unit, and the unit travelling until it arrived; with its table.
 */
export function ReviewPathChart({ review }: { review: ExerciseReview }) {
  const data = review.calls
    .filter((call) => call.answerSeconds !== null)
    .map((call) => {
      const answered = call.answerSeconds ?? 0;
      const saved = call.saveSeconds === null ? null : answered + call.saveSeconds;
      const deployed = call.deploySeconds;
      const arrived = call.arriveSeconds;
      return {
        call: call.callId,
        ringing: answered,
        taking: saved === null ? 0 : saved - answered,
        dispatching: deployed === null || saved === null ? 0 : Math.max(0, deployed - saved),
        travelling: arrived === null || deployed === null ? 0 : Math.max(0, arrived - deployed),
        answered,
        saved,
        deployed,
        arrived,
      };
    });
  const cell = (seconds: number | null) => (seconds === null ? 'not yet' : `${seconds} s`);
  return (
    <figure className="review-chart" aria-labelledby="review-path-caption">
      <figcaption id="review-path-caption">Each call from ringing to a unit at scene (seconds after it rang)</figcaption>
      <div aria-hidden="true" className="chart-drawing">
        <BarChart width={WIDTH} height={Math.max(HEIGHT, 40 + data.length * 28)} data={data} layout="vertical" accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={colour('--panel-2', '#1f2a35')} />
          <XAxis type="number" tick={axis()} />
          <YAxis type="category" dataKey="call" tick={axis()} width={130} />
          <Legend />
          {STAGES.map((stage) => (
            <Bar key={stage.key} dataKey={stage.key} name={stage.name} stackId="path" fill={colour(stage.colour[0], stage.colour[1])} isAnimationActive={false} />
          ))}
        </BarChart>
      </div>
      <table className="visually-hidden">
        <caption>Each call from ringing to a unit at scene, seconds after it rang</caption>
        <thead>
          <tr>
            <th scope="col">Call</th>
            <th scope="col">Answered</th>
            <th scope="col">Saved</th>
            <th scope="col">First unit deployed</th>
            <th scope="col">First unit at scene</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.call}>
              <th scope="row">{d.call}</th>
              <td>{cell(d.answered)}</td>
              <td>{cell(d.saved)}</td>
              <td>{cell(d.deployed)}</td>
              <td>{cell(d.arrived)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
