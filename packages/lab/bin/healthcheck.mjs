#!/usr/bin/env node
// Docker HEALTHCHECK: GET /api/health on WEB_PORT, with the lab's credentials when auth is on (the
// same rule as labAuth() in src/config.ts: SEAWAY_PASSWORD for SEAWAY_USER, or in the image
// fast-data-dev's USER/PASSWORD). Plain JavaScript, so each probe costs one small node start.
const env = process.env;
const on = (v) => ['1', 'true', 'yes', 'on'].includes(String(v ?? '').toLowerCase());
let pair = null;
if (env.SEAWAY_PASSWORD) pair = `${env.SEAWAY_USER || 'admin'}:${env.SEAWAY_PASSWORD}`;
else if (on(env.SEAWAY_IMAGE) && env.PASSWORD) pair = `${env.USER || 'admin'}:${env.PASSWORD}`;
const headers = pair ? { authorization: `Basic ${Buffer.from(pair).toString('base64')}` } : {};
fetch(`http://127.0.0.1:${env.WEB_PORT || 3030}/api/health`, { headers, signal: AbortSignal.timeout(2500) }).then(
  (r) => process.exit(r.ok ? 0 : 1),
  () => process.exit(1),
);
