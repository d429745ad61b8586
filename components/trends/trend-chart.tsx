"use client";
// The trends chart (recharts): one line per query, every point a link to the
// search of that query in that year or month. The table beside it says the
// same for screen readers and without JavaScript.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DotItemDotProps } from "recharts";

/** Five lines that stay apart in colour, for common colour blindness too (Okabe–Ito). */
export const SERIES_COLOURS = ["#b91c1c", "#0072b2", "#e69f00", "#009e73", "#cc79a7"];

export interface ChartSeries {
  q: string;
  values: number[];
  /** The search of each point (its query and bucket). */
  hrefs: string[];
}

export function TrendChart({ buckets, series, metric }: { buckets: string[]; series: ChartSeries[]; metric: "articles" | "occurrences" | "share" }) {
  const data = buckets.map((bucket, i) => Object.fromEntries([["bucket", bucket], ...series.map((s, k) => [`s${k}`, s.values[i]])]));
  const format = (v: number) => (metric === "share" ? `${(v * 100).toFixed(1)}%` : String(v));
  const unit = metric === "articles" ? "篇" : metric === "occurrences" ? "次" : "";
  return (
    <div className="h-[360px] w-full" data-testid="trend-chart" role="img" aria-label={`趋势图：${series.map((s) => s.q).join("、")}（数据见下表）`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 12, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d4d4d8" />
          <XAxis dataKey="bucket" tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis tickFormatter={format} tick={{ fontSize: 12 }} width={56} allowDecimals={metric === "share"} />
          <Tooltip formatter={(v) => `${format(Number(v))}${unit}`} />
          <Legend />
          {series.map((s, k) => (
            <Line
              key={k}
              type="linear"
              dataKey={`s${k}`}
              name={s.q}
              stroke={SERIES_COLOURS[k]}
              strokeWidth={2}
              isAnimationActive={false}
              dot={(p: DotItemDotProps) => (
                <a key={`${k}-${p.index}`} href={s.hrefs[p.index]} data-testid="trend-point" data-series={k} data-bucket={buckets[p.index]}>
                  <title>{`${s.q} · ${buckets[p.index]}：${format(s.values[p.index])}${unit}（点击查看这些文章）`}</title>
                  <circle cx={p.cx} cy={p.cy} r={5} fill="#fff" stroke={SERIES_COLOURS[k]} strokeWidth={2} />
                </a>
              )}
              activeDot={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
