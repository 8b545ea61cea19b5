# Switchyard gateway image. Build: docker build -t switchyard .   (or: podman build -t switchyard .)
# Runs as uid 1000 with a read-only root filesystem; everything it writes goes to the /data volume.
# BUILD_IMAGE needs Node.js 20, npm, python3, make and g++ (better-sqlite3 is compiled when no prebuilt binary can
# be fetched); RUNTIME_IMAGE needs Node.js 20 and a user with uid 1000. The official node images have both.
ARG BUILD_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

FROM ${BUILD_IMAGE} AS build
# Where node-gyp finds Node's headers when it cannot download them (an offline build); empty means download.
ARG NODE_HEADERS_DIR=
WORKDIR /build
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
# Scripts are skipped so that the package's own `prepare` (a build) does not run before the sources are here;
# better-sqlite3's native module is then built on its own.
RUN if [ -n "$NODE_HEADERS_DIR" ]; then export npm_config_nodedir="$NODE_HEADERS_DIR"; fi \
 && npm ci --ignore-scripts \
 && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY deploy/tsconfig.image.json deploy/
COPY src src
RUN npx tsc -p deploy/tsconfig.image.json && npm prune --omit=dev --ignore-scripts

FROM ${RUNTIME_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    SWITCHYARD_DATA_DIR=/data
WORKDIR /app
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules node_modules
COPY --from=build /build/dist/src dist/src
COPY bin bin
COPY models models
COPY deploy/healthcheck.mjs deploy/
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
VOLUME /data
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD ["node", "/app/deploy/healthcheck.mjs"]
# SIGTERM: stop accepting, finish in-flight requests and streams (server.shutdownGraceMs), flush the ledger, exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/switchyard.js"]
CMD ["start"]
