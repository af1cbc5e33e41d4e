// Export of the messages currently shown, as JSON or CSV, decoded the same way the page shows them.
import type { DecodedMessage } from './MessageBrowser.tsx';

export function toExportRows(list: DecodedMessage[]) {
  return list.map((d) => ({
    partition: d.m.partition,
    offset: d.m.offset,
    timestamp: d.m.timestamp,
    key: d.key.kind === 'null' ? null : d.key.kind === 'json' || d.key.kind === 'avro' ? d.key.value : d.key.text,
    headers: Object.fromEntries(d.headers.map((h) => [h.key, h.value.text])),
    valueEncoding: d.value.kind,
    value:
      d.value.kind === 'null'
        ? null
        : d.value.kind === 'json' || d.value.kind === 'avro'
          ? d.value.value
          : d.value.text,
  }));
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quote always; double inner quotes. A leading =,+,-,@ is prefixed so spreadsheets do not run it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(list: DecodedMessage[]): string {
  const rows = toExportRows(list);
  const head = ['partition', 'offset', 'timestamp', 'key', 'headers', 'valueEncoding', 'value'];
  return [head.join(','), ...rows.map((r) => head.map((h) => csvCell(r[h as keyof typeof r])).join(','))].join('\r\n');
}

export function downloadExport(topic: string, list: DecodedMessage[], format: 'json' | 'csv'): void {
  const body = format === 'json' ? JSON.stringify(toExportRows(list), null, 2) : toCsv(list);
  const blob = new Blob([body], { type: format === 'json' ? 'application/json' : 'text/csv' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${topic}-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
