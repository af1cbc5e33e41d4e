// Hand-rolled SVG charts: a sparkline for small tiles and an area chart with axes for the overview.
// Values are plotted left (oldest) to right (newest); the y axis starts at 0.

/** SVG path of values, right-aligned in `slots` positions (so a young window fills from the right). */
export function pathFor(values: number[], w: number, h: number, max: number, slots = values.length): string {
  if (values.length === 0) return '';
  const n = Math.max(slots, values.length);
  const step = n > 1 ? w / (n - 1) : 0;
  const first = n - values.length;
  return values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${((first + i) * step).toFixed(1)},${(h - (max > 0 ? (v / max) * h : 0)).toFixed(1)}`,
    )
    .join(' ');
}

/** Close a line path into an area down to the baseline, starting where the line starts. */
function areaFor(line: string, w: number, h: number): string {
  const start = /^M([\d.]+)/.exec(line)?.[1] ?? '0';
  return `${line} L${w},${h} L${start},${h} Z`;
}

export function Sparkline({
  values,
  width = 120,
  height = 28,
  slots = 60,
  label,
}: {
  values: number[];
  width?: number;
  height?: number;
  slots?: number;
  label: string;
}) {
  const max = Math.max(1, ...values);
  const line = pathFor(values, width, height - 2, max, slots);
  return (
    <svg
      className="spark"
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {line && <path d={areaFor(line, width, height)} className="spark-area" />}
      {line && <path d={line} className="spark-line" />}
    </svg>
  );
}

export interface Series {
  name: string;
  values: number[];
  className: string;
}

export function AreaChart({
  series,
  height = 140,
  unit,
  seconds,
}: {
  series: Series[];
  height?: number;
  unit: string;
  seconds: number;
}) {
  const width = 600;
  const padL = 44;
  const padB = 18;
  const padT = 8;
  const w = width - padL;
  const h = height - padB;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${unit} over the last ${seconds} seconds`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={padL} x2={width} y1={h - f * (h - padT)} y2={h - f * (h - padT)} className="grid" />
            <text x={padL - 6} y={h - f * (h - padT) + 4} textAnchor="end" className="axis">
              {fmtAxis(max * f)}
            </text>
          </g>
        ))}
        <text x={padL} y={height - 4} className="axis">
          −{seconds}s
        </text>
        <text x={width} y={height - 4} textAnchor="end" className="axis">
          now
        </text>
        <g transform={`translate(${padL},0)`}>
          {series.map((s) => {
            const line = pathFor(s.values, w, h - padT, max, seconds);
            return line ? (
              <g key={s.name} className={s.className} transform={`translate(0,${padT})`}>
                <path d={areaFor(line, w, h - padT)} className="area" />
                <path d={line} className="line" />
              </g>
            ) : null;
          })}
        </g>
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.name} className={`legend ${s.className}`}>
            {s.name}
          </span>
        ))}
        <span className="muted"> · {unit}</span>
      </figcaption>
    </figure>
  );
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmtAxis(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(v >= 1e4 ? 0 : 1)}k`;
  return v % 1 === 0 ? String(v) : v.toFixed(1);
}
