/**
 * One observation series as a line chart (recharts), with the typical range
 * shaded when there is one, and the same numbers as a table for screen
 * readers and for anyone who prefers figures.
 */
import { TableWrap } from "./TableWrap.tsx";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Series } from "../fhir/series.ts";
import { formatDate, formatNumber } from "../lib/format.ts";

const COLORS = ["#a3121f", "#0b5cad", "#116329", "#5a3ea1"];

/** A chart of `series` with a data table. */
export function SeriesChart({ series }: { series: Series }) {
  const id = `chart-${series.id.replace(/[^A-Za-z0-9-]/g, "")}`;
  const summary =
    `${series.label}: ${series.points.length} measurements from ${formatDate(series.points[0]?.t)} ` +
    `to ${formatDate(series.points.at(-1)?.t)}${series.unit === "" ? "" : `, in ${series.unit}`}.`;
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-caption`} data-series={series.id}>
      <figcaption id={`${id}-caption`}>
        {series.label}
        {series.unit === "" ? "" : ` (${series.unit})`}
      </figcaption>
      <p className="visually-hidden">{summary}</p>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 300 }}>
          <LineChart
            data={series.points}
            margin={{ top: 10, right: 20, bottom: 10, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#c9d1db" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(t: number) => formatDate(t)}
              stroke="#4a5260"
              minTickGap={40}
            />
            <YAxis stroke="#4a5260" domain={["auto", "auto"]} width={48} />
            {series.typical !== undefined && series.lines.length === 1 ? (
              <ReferenceArea
                y1={series.typical.low}
                y2={series.typical.high}
                fill="#116329"
                fillOpacity={0.08}
                ifOverflow="extendDomain"
              />
            ) : null}
            <Tooltip labelFormatter={(t) => formatDate(Number(t))} formatter={(v) => formatNumber(Number(v), 2)} />
            {series.lines.length > 1 ? <Legend /> : null}
            {series.lines.map((l, i) => (
              <Line
                key={l.key}
                type="monotone"
                dataKey={l.key}
                name={l.label}
                stroke={COLORS[i % COLORS.length]}
                strokeWidth={2}
                strokeDasharray={i === 1 ? "6 3" : undefined}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Show the numbers ({series.points.length})</summary>
        <TableWrap label={series.label}>
          <table>
            <caption className="visually-hidden">{series.label}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                {series.lines.map((l) => (
                  <th key={l.key} scope="col">
                    {l.label}
                    {series.unit === "" ? "" : ` (${series.unit})`}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {series.points.map((p, i) => (
                <tr key={i}>
                  <td>{formatDate(p.t)}</td>
                  {series.lines.map((l) => (
                    <td key={l.key}>{p[l.key] === undefined ? "" : formatNumber(p[l.key] as number, 1)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}
