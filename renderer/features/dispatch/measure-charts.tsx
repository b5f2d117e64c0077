import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from 'recharts';
import type { ForceConfig } from '../../../shared/domain/force-config';
import type { WallClock } from '../../../shared/domain/wall-clock';
import type { MeasuresResponse } from '../../../shared/sync/measures-protocol';
import { gradeLabel } from '../incidents/describe';
import { plural } from '../../app/format';
import { axisTick, GradeSeriesChart, themeColour } from '../../app/grade-series-chart';

const WIDTH = 440;
const HEIGHT = 200;

/**
 * The 999 and 101 answer times of the shift, by bucket (recharts). The drawing is hidden from screen readers: its
 * text alternative is the table of the same counts beside it, which a screen reader reads instead.
 */
export function AnswerTimeChart({ answer }: { answer: MeasuresResponse }) {
  const of = (source: '999' | '101') => answer.measures.answerTimes.find((a) => a.source === source);
  const buckets = of('999')?.buckets ?? [];
  const data = buckets.map((bucket, i) => ({ label: bucket.label, '999': bucket.count, '101': of('101')?.buckets[i]?.count ?? 0 }));
  const total = data.reduce((sum, d) => sum + d['999'] + d['101'], 0);
  return (
    <figure className="measure-chart" aria-labelledby="answer-chart-caption">
      <figcaption id="answer-chart-caption">Answer times this shift ({plural(total, 'call')} answered)</figcaption>
      <div aria-hidden="true" className="chart-drawing">
        <BarChart width={WIDTH} height={HEIGHT} data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={themeColour('--panel-2', '#1f2a35')} />
          <XAxis dataKey="label" tick={axisTick()} />
          <YAxis allowDecimals={false} tick={axisTick()} width={32} />
          <Legend />
          <Bar dataKey="999" fill={themeColour('--grade-1', '#ff5c5c')} isAnimationActive={false} />
          <Bar dataKey="101" fill={themeColour('--grade-3', '#5cc8ff')} isAnimationActive={false} />
        </BarChart>
      </div>
      <table className="visually-hidden">
        <caption>Calls answered this shift, by answer time</caption>
        <thead>
          <tr>
            <th scope="col">Answer time</th>
            <th scope="col">999 calls</th>
            <th scope="col">101 calls</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{d['999']}</td>
              <td>{d['101']}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * Incidents waiting for their first deployment through the shift, one line per grade with a target (recharts),
 * with its text alternative: the same counts, hour by hour, as a table.
 */
export function QueueDepthChart({ answer, config, clock }: { answer: MeasuresResponse; config: ForceConfig; clock: WallClock }) {
  const grades = config.grades.filter((g) => g.attendanceTargetMinutes !== null).map((g) => ({ code: g.code, label: gradeLabel(config, g.code) }));
  return (
    <GradeSeriesChart
      id="queue-chart-caption"
      className="measure-chart"
      caption="Incidents waiting for a unit through the shift, by grade"
      tableCaption="Incidents waiting for a unit, by grade, through the shift"
      samples={answer.measures.queue.series.map((point) => ({ time: clock.time(point.at), byGrade: point.byGrade }))}
      grades={grades}
      colours={['--grade-1', '--grade-2', '--grade-3', '--grade-4']}
      width={WIDTH}
      height={HEIGHT}
    />
  );
}
