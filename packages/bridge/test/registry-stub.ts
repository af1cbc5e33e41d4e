// A minimal Confluent-compatible schema registry for tests: POST /subjects/{s}/versions and
// GET /schemas/ids/{id}, ids shared across subjects for identical schemas, as the real one does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryStub {
  url: string;
  subjects: Map<string, string[]>;
  schemaById(id: number): string | undefined;
  close(): Promise<void>;
}

export async function startRegistryStub(): Promise<RegistryStub> {
  const byId: string[] = [];
  const subjects = new Map<string, string[]>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const send = (status: number, v: unknown) => {
        res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify(v));
      };
      const reg = /^\/subjects\/([^/]+)\/versions$/.exec(req.url ?? '');
      if (req.method === 'POST' && reg) {
        const schema = (JSON.parse(body) as { schema: string }).schema;
        const canonical = JSON.stringify(JSON.parse(schema));
        let id = byId.indexOf(canonical) + 1;
        if (id === 0) id = byId.push(canonical);
        const subject = decodeURIComponent(reg[1] as string);
        const list = subjects.get(subject) ?? [];
        if (!list.includes(canonical)) list.push(canonical);
        subjects.set(subject, list);
        return send(200, { id });
      }
      const get = /^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && get) {
        const s = byId[Number(get[1]) - 1];
        return s ? send(200, { schema: s }) : send(404, { error_code: 40403, message: 'Schema not found' });
      }
      send(404, { error_code: 404, message: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    subjects,
    schemaById: (id) => byId[id - 1],
    close: () => new Promise((r) => server.close(() => r())),
  };
}
