# syntax=docker/dockerfile:1
# briefbot's image: the compiled build on Node 20, production dependencies only, run as the
# unprivileged `node` user, the store on a volume. `npm run container-check` performs these steps
# without Docker (scripts/container-check.ts) and `npm test` runs it, so keep to the instructions
# it understands: FROM, WORKDIR, COPY, RUN, ENV, USER, VOLUME, EXPOSE, HEALTHCHECK, CMD.

# Build stage: the full image has python3, make and g++ for better-sqlite3's native addon when no
# prebuilt binary can be downloaded.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here. better-sqlite3's own
# install script (a prebuilt download, or a compile) is the one that must run.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts
# The store's folder, copied below owned by the app's user: a volume starts with the image's
# ownership of its path, and the app's user must be able to write there.
RUN mkdir store

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATABASE_PATH=/data/briefbot.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin/briefbot.js ./bin/
COPY config ./config
COPY briefings ./briefings
COPY --from=build --chown=node:node /app/store /data
USER node
VOLUME /data
EXPOSE 3000
# The slim image has no curl: Node's own fetch probes the listener the bot serves beside its platforms.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# A 2 MB young generation: about 25 MB less resident memory for a chat bot, whose allocations
# are small and short-lived (npm start does the same; see the README's benchmarks).
CMD ["node", "--max-semi-space-size=2", "bin/briefbot.js", "start"]
