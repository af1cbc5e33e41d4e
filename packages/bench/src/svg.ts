// Minimal SVG charts for the report: grouped bars and lines with labelled axes. No dependencies;
// every text is escaped, colours are fixed per series so peers look the same in every chart.
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

function fmt(v: number): string {
  if (v >= 1e6) return `${Math.round(v / 1e5) / 10}M`;
  if (v >= 1e3) return `${Math.round(v / 100) / 10}k`;
  return String(Math.round(v * 100) / 100);
}

export interface Series {
  name: string;
  values: (number | null)[];
}

const W = 640;
const H = 340;
const M = { left: 64, right: 16, top: 36, bottom: 64 };

function frame(title: string, yLabel: string, max: number, body: string, legend: string[]): string {
  const ph = H - M.top - M.bottom;
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = M.top + ph - (ph * i) / 4;
    ticks.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>` +
        `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`,
    );
  }
  const leg = legend
    .map(
      (n, i) =>
        `<rect x="${M.left + i * 150}" y="${H - 18}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>` +
        `<text x="${M.left + i * 150 + 14}" y="${H - 9}" font-size="11">${esc(n)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>` +
    ticks.join('') +
    body +
    leg +
    '</svg>\n'
  );
}

/** Grouped bar chart: one group per category, one bar per series. */
export function barChart(title: string, yLabel: string, categories: string[], series: Series[]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const gw = pw / Math.max(categories.length, 1);
  const bw = (gw * 0.8) / Math.max(series.length, 1);
  let body = '';
  categories.forEach((c, ci) => {
    const gx = M.left + ci * gw + gw * 0.1;
    series.forEach((s, si) => {
      const v = s.values[ci];
      if (v === null || v === undefined) return;
      const h = (v / max) * ph;
      const x = gx + si * bw;
      body +=
        `<rect x="${x}" y="${M.top + ph - h}" width="${bw - 2}" height="${h}" fill="${COLORS[si % COLORS.length]}"/>` +
        `<text x="${x + bw / 2}" y="${M.top + ph - h - 3}" text-anchor="middle" font-size="9">${fmt(v)}</text>`;
    });
    // Long labels ("direct-kafka (embedded)") break before the parenthesis onto a second line.
    const [first, second] = c.includes(' (') ? [c.slice(0, c.indexOf(' (')), c.slice(c.indexOf(' (') + 1)] : [c, ''];
    const cx = gx + gw * 0.4;
    body +=
      `<text x="${cx}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${esc(first)}` +
      (second ? `<tspan x="${cx}" dy="13">${esc(second)}</tspan>` : '') +
      '</text>';
  });
  return frame(
    title,
    yLabel,
    max,
    body,
    series.map((s) => s.name),
  );
}

/** Line chart over categorical x values (e.g. worker counts), one line per series. */
export function lineChart(title: string, yLabel: string, xLabel: string, xs: string[], series: Series[]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const step = xs.length > 1 ? pw / (xs.length - 1) : 0;
  const px = (i: number) => M.left + (xs.length > 1 ? i * step : pw / 2);
  let body = '';
  xs.forEach((x, i) => {
    body += `<text x="${px(i)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${esc(x)}</text>`;
  });
  body += `<text x="${M.left + pw / 2}" y="${M.top + ph + 34}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`;
  series.forEach((s, si) => {
    const c = COLORS[si % COLORS.length];
    const pts = s.values
      .map((v, i) => (v === null ? null : `${px(i)},${M.top + ph - (v / max) * ph}`))
      .filter((p): p is string => p !== null);
    body += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.join(' ')}"/>`;
    s.values.forEach((v, i) => {
      if (v === null) return;
      const y = M.top + ph - (v / max) * ph;
      body += `<circle cx="${px(i)}" cy="${y}" r="3" fill="${c}"/><text x="${px(i)}" y="${y - 6}" text-anchor="middle" font-size="9">${fmt(v)}</text>`;
    });
  });
  return frame(
    title,
    yLabel,
    max,
    body,
    series.map((s) => s.name),
  );
}
