# Threadline production image (needs BuildKit, the default builder since Docker 23, for RUN --mount).
#
#   docker build -t threadline .
#   docker run -p 3000:3000 -v threadline-data:/data threadline
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://user:pass@db:5432/threadline threadline
#
# Without DATABASE_URL the app keeps an embedded PGlite database under DATA_DIR
# (/data, a volume), creating, migrating and seeding it on first start.
# Only one container may use a given /data volume at a time.
#
# Stages: deps (all dependencies) -> build (remix vite:build)
#         prod-deps (production dependencies only)
#         runtime (node:20-slim + prod node_modules + build output + db/ and app/ sources)
#
# No engine at hand? scripts/buildah-build.sh builds and smoke-tests this file with buildah.

# ---------------------------------------------------------------------------
# deps: every dependency, dev ones included (vite, @remix-run/dev, typescript)
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/tmp/npm-cache \
    npm ci --no-audit --no-fund --cache /tmp/npm-cache

# ---------------------------------------------------------------------------
# build: compile the Remix app into build/client and build/server
FROM deps AS build
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------
# prod-deps: production dependencies only (express, remix, drizzle, pglite, tsx, ...)
FROM node:20-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/tmp/npm-cache \
    npm ci --omit=dev --no-audit --no-fund --cache /tmp/npm-cache

# ---------------------------------------------------------------------------
# runtime
FROM node:20-slim AS runtime

ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data

WORKDIR /app

# Application files stay owned by root (read-only for the app user);
# only the data directory is writable by `node` (uid 1000).
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# db/ holds migrations and seed content read at start-up; db/ and app/ sources
# (and scripts/db-seed.ts) are also what `npm run db:migrate` / `npm run db:seed` (tsx) execute.
COPY server.ts ./
COPY db ./db
COPY app ./app
COPY scripts/db-seed.ts ./scripts/db-seed.ts

RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node
EXPOSE 3000

# node:20-slim has no curl: probe with node's built-in fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]

# The app closes its database and exits on SIGTERM/SIGINT, so node runs as PID 1.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "./server.ts"]
