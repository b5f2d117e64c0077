import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { WallClock } from '../../../shared/domain/wall-clock';
import type { ExerciseReview } from '../../../shared/training/review-view';
import { ANSWER_TARGET_SECONDS } from '../../../shared/training/exercise-review';
import { axisTick, GradeSeriesChart, themeColour } from '../../app/grade-series-chart';

const WIDTH = 560;
const HEIGHT = 220;


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
          <CartesianGrid strokeDasharray="3 3" stroke={themeColour('--panel-2', '#1f2a35')} />
          <XAxis dataKey="call" tick={axisTick()} interval={0} angle={-20} textAnchor="end" height={50} />
          <YAxis allowDecimals={false} tick={axisTick()} width={36} />
          <ReferenceLine y={ANSWER_TARGET_SECONDS['999']} stroke={themeColour('--priority-1', '#ff5c5c')} strokeDasharray="4 2" />
          <Bar dataKey="seconds" name="answer time (s)" fill={themeColour('--accent', '#4db3ff')} isAnimationActive={false} />
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
  return (
    <GradeSeriesChart
      id="review-queue-caption"
      className="review-chart"
      caption="Incidents waiting for a unit through the exercise, by grade"
      tableCaption="Incidents waiting for a unit, by grade"
      samples={review.measures.queue.series.map((point) => ({ time: clock.time(point.at), byGrade: point.byGrade }))}
      grades={Object.keys(review.measures.queue.now).map((code) => ({ code, label: `Grade ${code}` }))}
      colours={['--priority-1', '--priority-2', '--priority-4', '--priority-5']}
      width={WIDTH}
      height={HEIGHT}
    />
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
          <CartesianGrid strokeDasharray="3 3" stroke={themeColour('--panel-2', '#1f2a35')} />
          <XAxis type="number" tick={axisTick()} />
          <YAxis type="category" dataKey="call" tick={axisTick()} width={130} />
          <Legend />
          {STAGES.map((stage) => (
            <Bar key={stage.key} dataKey={stage.key} name={stage.name} stackId="path" fill={themeColour(stage.colour[0], stage.colour[1])} isAnimationActive={false} />
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
