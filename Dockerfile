# Seaway: the whole lab in one image. Build: docker build -t seaway .   Run: docker run -p 3030:3030 seaway
# Kept to COPY/RUN/ENV/WORKDIR so packages/e2e/test/dockerfile.test.ts can replay the build without Docker.
# Nothing native is compiled: every dependency is JavaScript or ships prebuilt per-platform binaries
# (esbuild, used by tsx), so the same file builds on amd64 and arm64.

FROM node:20-bookworm-slim AS build
ENV CI=true
WORKDIR /src
RUN npm install --global pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm --filter @seaway/console build
# Drop dev dependencies (vite, vitest, typescript, test clients) before the runtime stage copies the tree.
RUN pnpm install --frozen-lockfile --prod

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ADV_HOST=localhost \
    BIND_HOST=0.0.0.0 \
    WEB_PORT=3030 \
    MQTT_PORT=1883 \
    BROKER_PORT=9092 \
    REGISTRY_PORT=8081 \
    CONNECT_PORT=8083 \
    DATA_DIR=/home/node/data \
    RUNNING_SAMPLEDATA=1
WORKDIR /app
COPY --from=build --chown=node:node /src /app
USER node
VOLUME /home/node/data
EXPOSE 3030 1883 9092 8081 8083
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const e=process.env,h=e.USER&&e.PASSWORD?{authorization:'Basic '+Buffer.from(e.USER+':'+e.PASSWORD).toString('base64')}:{};fetch('http://127.0.0.1:'+(e.WEB_PORT||3030)+'/api/health',{headers:h}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "packages/lab/bin/seaway.mjs", "start"]
