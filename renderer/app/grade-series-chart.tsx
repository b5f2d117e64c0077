import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from 'recharts';

/** A colour of the theme (styles.css), read where the chart is drawn: SVG attributes take no CSS variables. */
export function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The axes' tick text, in the theme's muted colour. */
export function axisTick(): { fill: string; fontSize: number } {
  return { fill: themeColour('--muted', '#9fb0c0'), fontSize: 11 };
}

/** One sample of a series counted by grade: the wall-clock time it is labelled with, and a count per grade code. */
export type GradeSample = { time: string; byGrade: Record<string, number> };

/**
 * A count per grade through time, one stepped line per grade (recharts), with its text alternative: the same counts
 * as a table a screen reader reads instead of the drawing (about ten rows, and the last). Used for queue depth on the
 * supervisor's live measures and in the exercise review, so both read the same way.
 *
 * `grades` are in the order the lines are drawn, each with the label people see; `colours` are theme variable names
 * taken in the same order.
 */
export function GradeSeriesChart(props: {
  id: string;
  className: string;
  caption: string;
  tableCaption: string;
  samples: GradeSample[];
  grades: { code: string; label: string }[];
  colours: string[];
  width: number;
  height: number;
}) {
  const { id, className, caption, tableCaption, samples, grades, colours, width, height } = props;
  const data = samples.map((sample) => ({ time: sample.time, ...sample.byGrade }));
  const every = Math.max(1, Math.ceil(data.length / 10));
  const rows = data.filter((_, i) => i % every === 0 || i === data.length - 1);
  return (
    <figure className={className} aria-labelledby={id}>
      <figcaption id={id}>{caption}</figcaption>
      <div aria-hidden="true" className="chart-drawing">
        <LineChart width={width} height={height} data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={themeColour('--panel-2', '#1f2a35')} />
          <XAxis dataKey="time" tick={axisTick()} minTickGap={24} />
          <YAxis allowDecimals={false} tick={axisTick()} width={36} />
          <Legend />
          {grades.map((grade, i) => (
            <Line
              key={grade.code}
              type="stepAfter"
              dataKey={grade.code}
              name={grade.label}
              stroke={themeColour(colours[i] ?? '--accent', '#4db3ff')}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
      <table className="visually-hidden">
        <caption>{tableCaption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {grades.map((grade) => (
              <th scope="col" key={grade.code}>
                {grade.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.time}-${i}`}>
              <th scope="row">{row.time}</th>
              {grades.map((grade) => (
                <td key={grade.code}>{(row as Record<string, number | string>)[grade.code] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
