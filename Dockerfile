# Seaway: the whole lab in one image. Build: docker build -t seaway .   Run: docker run -p 3030:3030 seaway
# In the image every listener binds 0.0.0.0 (published ports decide exposure) and fast-data-dev's
# USER/PASSWORD turn auth on (SEAWAY_IMAGE=1); SEAWAY_USER/SEAWAY_PASSWORD work as well.
# Kept to COPY/RUN/ENV/WORKDIR so packages/e2e/test/dockerfile.test.ts can replay the build without Docker.
# Nothing native is compiled: every dependency is JavaScript or ships prebuilt per-platform binaries
# (esbuild), so the same file builds on amd64 and arm64. The runtime stage holds no node_modules and
# no TypeScript: `pnpm build` writes the lab as one bundle (packages/lab/dist/seaway.mjs, every
# package inlined) and the console build (packages/console/dist, found from the bundle as ../../console/dist).

FROM node:20-bookworm-slim AS build
ENV CI=true
WORKDIR /src
RUN npm install --global pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ADV_HOST=localhost \
    BIND_HOST=0.0.0.0 \
    SEAWAY_IMAGE=1 \
    WEB_PORT=3030 \
    MQTT_PORT=1883 \
    BROKER_PORT=9092 \
    REGISTRY_PORT=8081 \
    CONNECT_PORT=8083 \
    DATA_DIR=/home/node/data \
    RUNNING_SAMPLEDATA=1
WORKDIR /app
COPY --from=build --chown=node:node /src/packages/lab/dist /app/packages/lab/dist
COPY --from=build --chown=node:node /src/packages/console/dist /app/packages/console/dist
COPY --from=build --chown=node:node /src/packages/lab/bin/healthcheck.mjs /app/packages/lab/bin/healthcheck.mjs
USER node
VOLUME /home/node/data
EXPOSE 3030 1883 9092 8081 8083
# Sends the lab's credentials when auth is on (SEAWAY_PASSWORD, or fast-data-dev's USER/PASSWORD).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "packages/lab/bin/healthcheck.mjs"]
CMD ["node", "packages/lab/dist/seaway.mjs", "start"]
