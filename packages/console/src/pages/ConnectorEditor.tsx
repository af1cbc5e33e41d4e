// Create or edit a connector: start from a template of the catalogue (connector-templates.ts) or
// paste JSON/properties, edit key by key, validate through Connect's config/validate and show each
// key's errors beside it (a misspelled key is flagged by the lab's Connect and highlighted here).
import { ConfigInfos } from '@seaway/contracts';
import { useEffect, useState } from 'react';
import { HttpError, request } from '../api/http.ts';
import { invalidate } from '../api/query.ts';
import { CONNECT, useConnectionInfo } from '../api/resources.ts';
import { Link } from '../components/Link.tsx';
import { href, navigate } from '../router.ts';
import {
  ConfigParseError,
  type ConnectorDraft,
  mqttHostPortFrom,
  parseConnectorText,
  toProperties,
} from './connector-config.ts';
import { TEMPLATES } from './connector-templates.ts';

/**
 * A new name; a client id that followed the old name (`seaway-<name>`, as the templates make it)
 * follows the new one, so two connectors made from one template do not share an MQTT session.
 */
function renamed(d: ConnectorDraft, name: string): ConnectorDraft {
  const id = d.config['connect.mqtt.client.id'];
  if (id !== `seaway-${d.name}`) return { ...d, name };
  return { name, config: { ...d.config, 'connect.mqtt.client.id': `seaway-${name}` } };
}

interface Validation {
  errors: Map<string, string[]>;
  count: number;
}

export function ConnectorEditor({ existing }: { existing?: ConnectorDraft }) {
  const info = useConnectionInfo();
  const [templateId, setTemplateId] = useState('ais');
  const template = TEMPLATES.find((t) => t.id === templateId) ?? TEMPLATES[0]!;
  const [draft, setDraftState] = useState<ConnectorDraft>(
    () => existing ?? template.draft(mqttHostPortFrom(info.data?.mqttUrl)),
  );
  const [touched, setTouched] = useState(false);
  const setDraft = (d: ConnectorDraft) => {
    setTouched(true);
    setDraftState(d);
  };
  // The template needs the lab's MQTT port: refill it when connection info arrives, unless edited.
  const mqttUrl = info.data?.mqttUrl;
  useEffect(() => {
    if (!existing && !touched && mqttUrl) setDraftState(template.draft(mqttHostPortFrom(mqttUrl)));
  }, [mqttUrl, existing, touched, template]);
  const pickTemplate = (id: string) => {
    const t = TEMPLATES.find((x) => x.id === id);
    if (!t) return;
    setTemplateId(id);
    setDraft(t.draft(mqttHostPortFrom(info.data?.mqttUrl)));
    setValidation(null);
  };
  const [pasting, setPasting] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = Object.entries(draft.config);

  const setKey = (i: number, k: string, v: string) => {
    const entries = rows.map(([a, b], j): [string, string] => (j === i ? [k, v] : [a, b]));
    setDraft({ ...draft, config: Object.fromEntries(entries) });
  };

  const validate = async (): Promise<Validation | null> => {
    const cls = draft.config['connector.class'];
    if (!cls) {
      const v = { errors: new Map([['connector.class', ['connector.class is required']]]), count: 1 };
      setValidation(v);
      return v;
    }
    try {
      const r = await request(`${CONNECT}/connector-plugins/${encodeURIComponent(cls)}/config/validate`, ConfigInfos, {
        method: 'PUT',
        body: { ...draft.config, name: draft.name },
        timeoutMs: 15_000,
      });
      const errors = new Map<string, string[]>();
      for (const c of r.configs) if (c.value.errors.length) errors.set(c.value.name, c.value.errors);
      const v = { errors, count: r.error_count };
      setValidation(v);
      setError(null);
      return v;
    } catch (e) {
      setError(e instanceof HttpError ? `Validation failed: ${e.message}` : String(e));
      return null;
    }
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const v = await validate();
      if (!v || v.count > 0) return;
      if (existing) {
        await request(`${CONNECT}/connectors/${encodeURIComponent(draft.name)}/config`, null, {
          method: 'PUT',
          body: draft.config,
          timeoutMs: 15_000,
        });
      } else {
        await request(`${CONNECT}/connectors`, null, { method: 'POST', body: draft, timeoutMs: 15_000 });
      }
      invalidate(['connect']);
      navigate(href(['connectors'], { open: draft.name }));
    } catch (err) {
      setError(err instanceof HttpError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const applyPaste = () => {
    try {
      const d = parseConnectorText(pasteText);
      setDraft(existing ? { name: existing.name, config: d.config } : d);
      setPasting(false);
      setPasteError(null);
      setValidation(null);
    } catch (e) {
      setPasteError(e instanceof ConfigParseError ? e.message : String(e));
    }
  };

  const keyed = new Set(rows.map(([k]) => k));
  const otherErrors = validation ? [...validation.errors].filter(([k]) => !keyed.has(k) && k !== 'name') : [];
  const highlighted = validation ? [...validation.errors.keys()].filter((k) => keyed.has(k)).length : 0;
  return (
    <section>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link href="/connectors">Connectors</Link> / <span>{existing ? `edit ${existing.name}` : 'new'}</span>
      </nav>
      <h1>{existing ? `Edit ${existing.name}` : 'New connector'}</h1>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            setPasteText(JSON.stringify(draft, null, 2));
            setPasting(!pasting);
          }}
          aria-expanded={pasting}
        >
          Paste JSON or properties
        </button>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(toProperties(draft))}>
          Copy as properties
        </button>
      </div>
      {!existing && (
        <fieldset className="panel templates" aria-label="Templates">
          <legend>Start from a template</legend>
          <div className="row">
            {TEMPLATES.map((t) => (
              <button
                key={t.id}
                type="button"
                aria-pressed={t.id === templateId}
                className={t.id === templateId ? 'primary' : undefined}
                onClick={() => pickTemplate(t.id)}
              >
                {t.title}
              </button>
            ))}
          </div>
          <p className="small">{template.about}</p>
          <p className="small muted">
            Feed it:{' '}
            <code>{template.tryIt('127.0.0.1', mqttHostPortFrom(info.data?.mqttUrl).split(':')[1] ?? '1883')}</code>
          </p>
        </fieldset>
      )}
      {pasting && (
        <div className="panel">
          <label>
            Connector config (Connect JSON or .properties)
            <textarea
              rows={12}
              className="mono"
              spellCheck={false}
              value={pasteText}
              onChange={(e) => setPasteText(e.target.value)}
            />
          </label>
          {pasteError && (
            <p className="error-text" role="alert">
              {pasteError}
            </p>
          )}
          <button type="button" className="primary" onClick={applyPaste}>
            Use this config
          </button>
        </div>
      )}
      <form className="panel form" onSubmit={save} aria-label="Connector configuration">
        <label>
          Name
          <input
            required
            value={draft.name}
            readOnly={!!existing}
            onChange={(e) => setDraft(renamed(draft, e.target.value))}
            className="mono"
          />
        </label>
        {validation?.errors.get('name') && <p className="field-error">{validation.errors.get('name')!.join(' ')}</p>}
        <table className="table config-edit">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, v], i) => {
              const errs = validation?.errors.get(k);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: keys are editable, rows are positional
                <tr key={i} className={errs ? 'has-error' : ''}>
                  <td>
                    <input
                      aria-label={`Key ${i + 1}`}
                      className="mono"
                      value={k}
                      onChange={(e) => setKey(i, e.target.value, v)}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={k || `Value ${i + 1}`}
                      className="mono"
                      value={v}
                      onChange={(e) => setKey(i, k, e.target.value)}
                      aria-invalid={!!errs}
                    />
                    {errs && (
                      <div className="field-error" role="alert">
                        {errs.join(' ')}
                      </div>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove ${k}`}
                      onClick={() => setDraft({ ...draft, config: Object.fromEntries(rows.filter((_, j) => j !== i)) })}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button
          type="button"
          onClick={() => setDraft({ ...draft, config: { ...draft.config, '': '' } })}
          disabled={'' in draft.config}
        >
          Add setting
        </button>
        {otherErrors.length > 0 && (
          <div className="field-error" role="alert">
            {otherErrors.map(([k, errs]) => (
              <p key={k}>
                <code>{k}</code>: {errs.join(' ')}
              </p>
            ))}
          </div>
        )}
        {validation && validation.count === 0 && <p className="ok-text">The config is valid.</p>}
        {validation && validation.count > 0 && (
          <p className="error-text">
            {validation.count} problem{validation.count === 1 ? '' : 's'}:{' '}
            {[
              highlighted > 0 && `${highlighted} highlighted setting${highlighted === 1 ? '' : 's'}`,
              otherErrors.length > 0 && `${otherErrors.length} listed above (settings not in the table)`,
            ]
              .filter(Boolean)
              .join(', ') || 'see the list above'}
            .
          </p>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" onClick={() => void validate()} disabled={busy}>
            Validate
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : existing ? 'Validate and save' : 'Validate and create'}
          </button>
          <Link href="/connectors" className="button">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
