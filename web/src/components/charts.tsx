import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export const palette = ['#1d4ed8', '#b45309', '#047857', '#be123c', '#6d28d9', '#0e7490', '#4d7c0f', '#a21caf'];

interface SeriesChartProps {
  title: string;
  data: Array<Record<string, any>>;
  x: string;
  lines: Array<{ key: string; label: string }>;
  format?: (value: number) => string;
  stacked?: boolean;
}

/** A titled time chart: lines, or stacked areas; the figure's caption names what it shows for screen readers. */
export function SeriesChart({ title, data, x, lines, format, stacked = false }: SeriesChartProps) {
  const formatter = format ? (value: unknown) => format(Number(value)) : undefined;
  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#d4d4d8" />
      <XAxis dataKey={x} tick={{ fontSize: 11 }} minTickGap={24} />
      <YAxis tick={{ fontSize: 11 }} width={64} {...(format ? { tickFormatter: (value: number) => format(value) } : {})} />
      <Tooltip {...(formatter ? { formatter } : {})} />
      <Legend />
    </>
  );
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-body">
        {data.length === 0 ? (
          <p className="empty">No requests in this range.</p>
        ) : (
          <ResponsiveContainer width="100%" height={220}>
            {stacked ? (
              <AreaChart data={data}>
                {common}
                {lines.map((line, index) => (
                  <Area key={line.key} type="monotone" dataKey={line.key} name={line.label} stackId="1" stroke={palette[index % palette.length]} fill={palette[index % palette.length]} fillOpacity={0.35} isAnimationActive={false} />
                ))}
              </AreaChart>
            ) : (
              <LineChart data={data}>
                {common}
                {lines.map((line, index) => (
                  <Line key={line.key} type="monotone" dataKey={line.key} name={line.label} stroke={palette[index % palette.length]} dot={false} isAnimationActive={false} />
                ))}
              </LineChart>
            )}
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
