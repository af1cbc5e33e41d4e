import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import mqtt from 'mqtt';
import { command } from '../../../scripts/testing/needs.mjs';
import { withBroker } from './helpers.ts';

const openssl = command('openssl');
const dir = mkdtempSync(join(tmpdir(), 'seaway-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('with certificate files configured, MQTT over TLS works on the second port', {
  skip: !openssl && 'no openssl',
}, () => {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    openssl as string,
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore' },
  );
  return withBroker({ tls: { port: 0, certFile, keyFile } }, async (b, url) => {
    assert.ok(b.tlsPort);
    const sub = await mqtt.connectAsync(url, { clientId: 'plain-sub' });
    await sub.subscribeAsync('tls/#', { qos: 1 });
    const got = new Promise<string>((r) => sub.on('message', (_t, p) => r(p.toString())));
    const pub = await mqtt.connectAsync(`mqtts://127.0.0.1:${b.tlsPort}`, {
      clientId: 'tls-pub',
      rejectUnauthorized: false,
    });
    await pub.publishAsync('tls/1', 'secret', { qos: 1 });
    assert.equal(await got, 'secret');
    assert.equal(b.clients().find((c) => c.id === 'tls-pub')?.transport, 'tls');
    await pub.endAsync();
    await sub.endAsync();
  });
});

test('unreadable certificate files fail start with SEAWAY_MQTT_TLS', async () => {
  await assert.rejects(
    withBroker(
      { tls: { port: 0, certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'missing.key') } },
      async () => {},
    ),
    { code: 'SEAWAY_MQTT_TLS' },
  );
});

test('a listener port already in use fails start and leaves nothing running', () =>
  withBroker({}, async (b) => {
    await assert.rejects(
      withBroker({ port: b.port }, async () => {}),
      { code: 'EADDRINUSE' },
    );
  }));
