// Connectors (Kafka Connect REST under /api/connect): list with connector and task states,
// actions (pause, resume, stop, restart, delete), readable task traces, and the editor for new or
// changed configs.
import type { ConnectorsExpanded } from '@seaway/contracts';
import { useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { CONNECT, useConnectors, useServiceOn } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { Badge, Empty, QueryView } from '../components/States.tsx';
import { toast } from '../components/Toasts.tsx';
import { WorkersPanel } from '../components/WorkersPanel.tsx';
import { bytes, count, rate } from '../format.ts';
import { href, type Route, setQuery } from '../router.ts';
import { ConnectorEditor } from './ConnectorEditor.tsx';
import { ConnectorTopics } from './ConnectorTopics.tsx';
import { type ConnectorRates, useConnectorRates } from './connector-rates.ts';

type Entry = ConnectorsExpanded[string];

async function act(path: string, method: 'PUT' | 'POST' | 'DELETE'): Promise<void> {
  await request(`${CONNECT}${path}`, null, { method, timeoutMs: 15_000 });
  invalidate(['connect']);
}

function Actions({ name, state, onError }: { name: string; state: string; onError: (m: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const n = encodeURIComponent(name);
  const run = (path: string, method: 'PUT' | 'POST' | 'DELETE', done: string) => async () => {
    setBusy(true);
    try {
      await act(path, method);
      toast(done);
    } catch (e) {
      const m = e instanceof HttpError ? e.message : String(e);
      onError(m);
      toast(`${name}: ${m}`, 'bad');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="actions" aria-busy={busy}>
      {state === 'PAUSED' || state === 'STOPPED' ? (
        <button type="button" disabled={busy} onClick={run(`/connectors/${n}/resume`, 'PUT', `Resumed ${name}`)}>
          Resume
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={run(`/connectors/${n}/pause`, 'PUT', `Paused ${name}`)}>
          Pause
        </button>
      )}
      {state !== 'STOPPED' && (
        <button type="button" disabled={busy} onClick={run(`/connectors/${n}/stop`, 'PUT', `Stopped ${name}`)}>
          Stop
        </button>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={run(
          `/connectors/${n}/restart?includeTasks=true&onlyFailed=false`,
          'POST',
          `Restarting ${name} and its tasks`,
        )}
      >
        Restart all
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={run(
          `/connectors/${n}/restart?includeTasks=true&onlyFailed=true`,
          'POST',
          `Restarting the failed tasks of ${name}`,
        )}
      >
        Restart failed
      </button>
      <Link className="button" href={href(['connectors'], { edit: name })}>
        Edit
      </Link>
      {confirmDelete ? (
        <>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={run(`/connectors/${n}`, 'DELETE', `Deleted ${name}`)}
          >
            Confirm delete
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Keep
          </button>
        </>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      )}
    </div>
  );
}

function Throughput({ r }: { r: ConnectorRates }) {
  const f = (v: number | null, unit = '/s') => (v === null ? '…' : `${rate(v)}${unit}`);
  return (
    <dl className="metrics-row small" aria-label="Throughput">
      <div>
        <dt>MQTT in</dt>
        <dd>{f(r.messagesInPerSec)}</dd>
      </div>
      <div>
        <dt>Kafka out</dt>
        <dd>{f(r.recordsOutPerSec)}</dd>
      </div>
      <div>
        <dt>Bytes out</dt>
        <dd>{r.bytesOutPerSec === null ? '…' : `${bytes(r.bytesOutPerSec)}/s`}</dd>
      </div>
      <div className={r.m.deadLettered > 0 ? 'warn-text' : undefined}>
        <dt>Dead-lettered</dt>
        <dd>
          {count(r.m.deadLettered)}
          {r.deadLetteredPerSec ? ` (+${rate(r.deadLetteredPerSec)}/s)` : ''}
        </dd>
      </div>
      <div>
        <dt>In flight</dt>
        <dd>{count(r.m.inFlight)}</dd>
      </div>
      <div>
        <dt>Produce latency</dt>
        <dd>{r.m.produceLatencyMs === null ? '—' : `${r.m.produceLatencyMs.toFixed(1)} ms`}</dd>
      </div>
      <div>
        <dt>Totals</dt>
        <dd>
          {count(r.m.messagesIn)} in · {count(r.m.recordsOut)} out
        </dd>
      </div>
    </dl>
  );
}

function ConnectorCard({ name, e, open, r }: { name: string; e: Entry; open: boolean; r?: ConnectorRates }) {
  const [error, setError] = useState<string | null>(null);
  const status = e.status;
  const state = status?.connector.state ?? 'UNKNOWN';
  const tasks = status?.tasks ?? [];
  const n = encodeURIComponent(name);
  return (
    <article className="panel connector">
      <header className="connector-head">
        <button
          type="button"
          className="link strong"
          aria-expanded={open}
          onClick={() => setQuery({ open: open ? null : name })}
        >
          {open ? '▾' : '▸'} {name}
        </button>
        <Badge state={state} />
        <span className="small muted">{e.info?.type ?? status?.type ?? ''}</span>
        <span className="tasks small">
          {tasks.map((t) => (
            <span key={t.id} title={`task ${t.id} on ${t.worker_id ?? '?'}`}>
              task {t.id} <Badge state={t.state} />
            </span>
          ))}
          {tasks.length === 0 && <span className="muted">no tasks</span>}
        </span>
      </header>
      {r && <Throughput r={r} />}
      {e.info && <ConnectorTopics name={name} config={e.info.config} deadLettered={r?.m.deadLettered ?? 0} />}
      <Actions name={name} state={state} onError={setError} />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {status?.connector.trace && <pre className="trace">{status.connector.trace}</pre>}
      {!open &&
        tasks
          .filter((t) => t.state === 'FAILED' && t.trace)
          .map((t) => (
            // A failed task says why without a click: the first lines of its trace, the rest when opened.
            <pre key={t.id} className="trace" role="note" aria-label={`Why task ${t.id} failed`}>
              {`task ${t.id}: ${(t.trace ?? '').split('\n').slice(0, 3).join('\n')}`}
            </pre>
          ))}
      {open && (
        <div className="connector-body">
          {tasks.map((t) => (
            <div key={t.id} className="task">
              <div className="row">
                <strong>Task {t.id}</strong> <Badge state={t.state} />{' '}
                <span className="small muted">{t.worker_id}</span>
                <button
                  type="button"
                  onClick={() =>
                    act(`/connectors/${n}/tasks/${t.id}/restart`, 'POST').then(
                      () => toast(`Restarting task ${t.id} of ${name}`),
                      (err: Error) => {
                        setError(err.message);
                        toast(`Task ${t.id} of ${name}: ${err.message}`, 'bad');
                      },
                    )
                  }
                >
                  Restart task
                </button>
              </div>
              {t.trace && <pre className="trace">{t.trace}</pre>}
            </div>
          ))}
          {e.info && (
            <table className="table compact">
              <caption>Configuration</caption>
              <tbody>
                {Object.entries(e.info.config).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row" className="mono">
                      {k}
                    </th>
                    <td className="mono">{/password|secret/i.test(k) ? '••••••' : v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </article>
  );
}

export function ConnectorsPage({ route }: { route: Route }) {
  const on = useServiceOn('connect');
  const connectors = useConnectors({ refreshMs: 5000, enabled: on === true });
  const metrics = useConnectorRates(on !== undefined);
  if (on === false)
    return (
      <section>
        <h1>Connectors</h1>
        <Empty>
          Kafka Connect is not running in this lab (CONNECT_PORT=0). Start the lab with <code>CONNECT_PORT=8083</code>{' '}
          (the default) to create connectors here; the built-in bridge still moves <code>/ais/#</code> into Kafka.
        </Empty>
        {[...metrics.rates.values()].map((r) => (
          <article key={r.m.name} className="panel connector">
            <header className="connector-head">
              <strong>{r.m.name}</strong> <Badge state={r.m.state} />
              <span className="small muted">bridge connector</span>
            </header>
            <Throughput r={r} />
          </article>
        ))}
      </section>
    );
  const creating = route.query.get('new') === '1';
  const editing = route.query.get('edit');
  const open = route.query.get('open');
  if (creating || editing) {
    const existing = editing ? connectors.data?.[editing]?.info : undefined;
    if (editing && !existing && connectors.data === undefined)
      return (
        <QueryView q={connectors} what="connectors">
          {() => null}
        </QueryView>
      );
    return (
      <ConnectorEditor
        key={editing ?? 'new'}
        existing={existing ? { name: existing.name, config: existing.config } : undefined}
      />
    );
  }
  return (
    <section>
      <div className="page-head">
        <h1>Connectors</h1>
        <span className="spacer" />
        <Link className="button primary" href={href(['connectors'], { new: '1' })}>
          New connector
        </Link>
      </div>
      <QueryView q={connectors} what="connectors">
        {(d) => {
          const names = Object.keys(d).sort();
          if (names.length === 0)
            return (
              <Empty>
                No connectors yet.{' '}
                <Link href={href(['connectors'], { new: '1' })}>Create one from the AIS template</Link> to move MQTT
                messages from <code>/ais/#</code> into the <code>position-reports</code> topic.
              </Empty>
            );
          return names.map((name) => (
            <ConnectorCard key={name} name={name} e={d[name]!} open={open === name} r={metrics.rates.get(name)} />
          ));
        }}
      </QueryView>
      <WorkersPanel />
    </section>
  );
}
