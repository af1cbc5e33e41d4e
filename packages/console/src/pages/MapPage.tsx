// Live map: the latest position of each vessel on an AIS position topic, polled every 2 s from
// GET /api/map/vessels, drawn offline on the bundled world outline (no tile servers). Topic, colour
// mode and the selected vessel live in the URL (?topic=&colour=&mmsi=).
import { MapVesselsResponse, type Vessel } from '@seaway/contracts';
import { request } from '../api/http.ts';
import { useQuery } from '../api/query.ts';
import { useTopics } from '../api/resources.ts';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { count, time } from '../format.ts';
import { type ColourBy, SPEED_BANDS, STATUS_COLOURS, statusLabel } from '../map/markers.ts';
import { VesselMap } from '../map/VesselMap.tsx';
import { type Route, setQuery } from '../router.ts';

const DEFAULT_TOPICS = ['position-reports', 'sea_vessel_position_reports'];

export const useMapVessels = (topic: string) =>
  useQuery(
    ['map', 'vessels', topic],
    (signal) => request(`/api/map/vessels?topic=${encodeURIComponent(topic)}`, MapVesselsResponse, { signal }),
    { refreshMs: 2_000 },
  );

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

function Details({ v, onClose }: { v: Vessel; onClose: () => void }) {
  const rows: [string, string][] = [
    ['MMSI', v.mmsi],
    ['Name', v.name ?? 'not in position reports'],
    ['Position', `${v.lat.toFixed(5)}, ${v.lon.toFixed(5)}`],
    ['Speed', v.speed === null ? 'n/a' : `${v.speed} kn`],
    ['Course', v.course === null ? 'n/a' : `${v.course}°`],
    ['Heading', v.heading === null ? 'n/a' : `${v.heading}°`],
    ['Status', statusLabel(v.status)],
    ['Last seen', `${time(v.lastSeen)} (${ago(v.lastSeen)})`],
  ];
  return (
    <section className="panel vessel-details" aria-label={`Vessel ${v.mmsi}`}>
      <div className="panel-head">
        <h2>Vessel {v.mmsi}</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <dl className="kv">
        {rows.map(([k, val]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={k === 'MMSI' || k === 'Position' ? 'mono' : undefined}>{val}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Legend({ by }: { by: ColourBy }) {
  const items = by === 'speed' ? SPEED_BANDS : STATUS_COLOURS;
  return (
    <ul className="map-legend small" aria-label="Legend">
      {items.map((i) => (
        <li key={i.label}>
          <span className="swatch" style={{ background: i.colour }} aria-hidden="true" /> {i.label}
        </li>
      ))}
      <li className="muted">▲ points along course · ● no course (stopped)</li>
    </ul>
  );
}

export function MapPage({ route }: { route: Route }) {
  const q = route.query;
  const topic = q.get('topic') || DEFAULT_TOPICS[0]!;
  const colourBy: ColourBy = q.get('colour') === 'status' ? 'status' : 'speed';
  const selected = q.get('mmsi');
  const vessels = useMapVessels(topic);
  const topics = useTopics();
  const options = [
    ...new Set([
      ...DEFAULT_TOPICS,
      ...(topics.data?.topics.map((t) => t.name).filter((n) => /position|ais|vessel/i.test(n)) ?? []),
      topic,
    ]),
  ];
  const data = vessels.data?.topic === topic ? vessels.data : undefined;
  const sel = selected ? data?.vessels.find((v) => v.mmsi === selected) : undefined;

  return (
    <section className="map-page">
      <div className="page-head">
        <h1>Map</h1>
        <label>
          Topic{' '}
          <select value={topic} onChange={(e) => setQuery({ topic: e.target.value, mmsi: null })}>
            {options.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="seg" aria-label="Colour by">
          {(['speed', 'status'] as const).map((c) => (
            <label key={c} className={colourBy === c ? 'on' : undefined}>
              <input
                type="radio"
                name="colour"
                checked={colourBy === c}
                onChange={() => setQuery({ colour: c === 'speed' ? null : c })}
              />{' '}
              {c === 'speed' ? 'by speed' : 'by nav status'}
            </label>
          ))}
        </fieldset>
        <span className="spacer" />
        {data && (
          <span className="small muted" aria-live="polite">
            {count(data.vessels.length)} vessels · updated {new Date(data.ts).toLocaleTimeString()}
            {data.undecodable ? ` · ${count(data.undecodable)} records not decodable` : ''}
            {data.truncated ? ' · capped at the oldest' : ''}
          </span>
        )}
      </div>
      {vessels.error && (
        <ErrorState
          error={vessels.error}
          what={`positions from ${topic}`}
          hint={
            vessels.error.code === 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND'
              ? 'The topic does not exist yet: start the sample pipeline (RUNNING_SAMPLEDATA=1) or a generator run, or pick another topic.'
              : undefined
          }
          onRetry={vessels.reload}
        />
      )}
      {!data && !vessels.error && <Loading what="vessel positions" />}
      {data && data.vessels.length === 0 && (
        <Empty>No decodable positions on {topic} in the last 24 h. Start a generator run to see vessels move.</Empty>
      )}
      <div className="map-layout">
        <div className="panel map-panel">
          <VesselMap
            vessels={data?.vessels ?? []}
            colourBy={colourBy}
            selected={selected}
            onSelect={(m) => setQuery({ mmsi: m })}
          />
        </div>
        <aside className="map-side">
          {sel ? (
            <Details v={sel} onClose={() => setQuery({ mmsi: null })} />
          ) : (
            <p className="small muted">
              {selected ? `Vessel ${selected} is not on the map (anymore).` : 'Click a vessel for its details.'}
            </p>
          )}
          <Legend by={colourBy} />
        </aside>
      </div>
    </section>
  );
}
