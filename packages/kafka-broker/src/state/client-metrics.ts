// Client metrics subscriptions (KIP-714): named config resources (resource type 16) that say which
// metrics clients should push and how often. kafka-client-metrics and kafka-configs
// --entity-type client-metrics read and write them through DescribeConfigs, IncrementalAlterConfigs
// and ListConfigResources, with the names, defaults and validation messages Kafka uses. A resource
// exists while one of its configs is set. Persisted as <dataDir>/client-metrics.json (written to a
// temporary file, then renamed). The broker does not collect the pushed metrics (no
// GetTelemetrySubscriptions), as a Kafka broker without a metrics reporter plugin does not either.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError, BrokerErrorCode } from '../errors.ts';

export const CLIENT_METRICS = 16;

/** name → [default, Kafka config type (3 INT, 7 LIST)] */
export const CLIENT_METRICS_CONFIGS: Readonly<Record<string, { default: string; type: number }>> = {
  'interval.ms': { default: '300000', type: 3 },
  match: { default: '', type: 7 },
  metrics: { default: '', type: 7 },
};

const SELECTORS = new Set([
  'client_instance_id',
  'client_id',
  'client_software_name',
  'client_software_version',
  'client_source_address',
  'client_source_port',
]);

/** Null when `value` is valid for client metrics config `name`, else Kafka's message and error code. */
export function clientMetricsProblem(
  name: string,
  value: string,
): { code: 'INVALID_CONFIG' | 'INVALID_REQUEST'; message: string } | null {
  if (!(name in CLIENT_METRICS_CONFIGS))
    return { code: 'INVALID_REQUEST', message: `Unknown client metrics configuration: ${name}` };
  if (name === 'interval.ms') {
    if (!/^-?\d+$/.test(value.trim()))
      return {
        code: 'INVALID_CONFIG',
        message: `Invalid value ${value} for configuration interval.ms: Not a number of type INT`,
      };
    const n = Number(value);
    if (n < 100 || n > 3_600_000)
      return {
        code: 'INVALID_REQUEST',
        message: `Invalid value ${value} for interval.ms, interval must be between 100 and 3600000 (1 hour)`,
      };
  }
  if (name === 'match' && value !== '') {
    for (const pattern of value.split(',')) {
      const eq = pattern.indexOf('=');
      let ok = eq > 0 && SELECTORS.has(pattern.slice(0, eq).trim());
      if (ok) {
        try {
          new RegExp(pattern.slice(eq + 1).trim());
        } catch {
          ok = false;
        }
      }
      if (!ok) return { code: 'INVALID_CONFIG', message: `Illegal client matching pattern: ${pattern}` };
    }
  }
  return null;
}

export class ClientMetricsStore {
  readonly #resources = new Map<string, Record<string, string>>();
  readonly #file: string | null;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string | null) {
    this.#file = file;
  }

  static async open(dataDir: string | null): Promise<ClientMetricsStore> {
    const store = new ClientMetricsStore(dataDir === null ? null : join(dataDir, 'client-metrics.json'));
    if (store.#file === null) return store;
    let text: string | null = null;
    try {
      text = await readFile(store.#file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) return store;
    let parsed: { resources?: Record<string, Record<string, string>> };
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new BrokerError(
        BrokerErrorCode.BAD_CLIENT_METRICS,
        `${store.#file} is not valid JSON (${(e as Error).message}); restore it or remove it (the client metrics subscriptions are lost)`,
      );
    }
    for (const [name, configs] of Object.entries(parsed.resources ?? {})) store.#resources.set(name, { ...configs });
    return store;
  }

  names(): string[] {
    return [...this.#resources.keys()].sort();
  }

  /** The configs set on `name` (empty when the resource does not exist). */
  get(name: string): Readonly<Record<string, string>> {
    return this.#resources.get(name) ?? {};
  }

  /** Replace the configs of `name`; no config left removes the resource. */
  async set(name: string, configs: Record<string, string>): Promise<void> {
    if (Object.keys(configs).length === 0) this.#resources.delete(name);
    else this.#resources.set(name, { ...configs });
    const file = this.#file;
    if (file === null) return;
    const text = `${JSON.stringify({ version: 1, resources: Object.fromEntries(this.#resources) }, null, 1)}\n`;
    this.#saving = this.#saving.then(async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    await this.#saving;
  }
}
