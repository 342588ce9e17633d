# One image for the API, the worker and the emulator; docker-compose.yml picks the entry point
# with `command`. The processes run compiled JavaScript (`npm run build`: one esbuild bundle per
# service, driven by turbo), not a TypeScript loader. node_modules keeps dev dependencies: the
# build tools and the Prisma CLI that `migrate` needs are among them.
FROM node:20-bookworm-slim

# ffmpeg/ffprobe: the emulator probes, transcodes and transcribes media with them.
# pocketsphinx-en-us: the acoustic model behind ffmpeg's `asr` filter. It is only a Recommends of
# libpocketsphinx3, so --no-install-recommends would drop it and the emulator's speech
# recognition (on by default, EMULATOR_ASR) would silently find no words.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# No Prisma update checks or telemetry calls from inside a container.
ENV CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

# Dependencies first, so editing sources does not reinstall them. `npm ci` needs every workspace
# manifest named by package-lock.json, and the root postinstall (`node scripts/prisma.mjs
# generate`) needs the schema and prisma.config.ts. Only scripts/prisma.mjs is copied from
# scripts/: the rest of that folder changes often and would bust this layer for nothing.
# A new workspace under packages/ or services/ must be added to this list.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma.mjs ./scripts/prisma.mjs
COPY packages/contract/package.json ./packages/contract/
COPY packages/db/package.json ./packages/db/
COPY packages/domain/package.json ./packages/domain/
COPY packages/jobs/package.json ./packages/jobs/
COPY packages/net/package.json ./packages/net/
COPY packages/sample-media/package.json ./packages/sample-media/
COPY packages/telemetry/package.json ./packages/telemetry/
COPY services/api/package.json ./services/api/
COPY services/emulator/package.json ./services/emulator/
COPY services/worker/package.json ./services/worker/
RUN npm ci && npm cache clean --force

COPY . .
RUN npm run build

# Direct uploads wait here for the worker; compose mounts one volume at this path in both the API
# and the worker. It is created owned by `node` so a fresh named volume inherits that owner.
RUN mkdir -p /data/blobs && chown -R node:node /data
ENV HOST=0.0.0.0 \
    BLOB_DIR=/data/blobs

USER node
EXPOSE 3000 4010

# `node` itself is PID 1 and receives SIGTERM directly, so the services' own shutdown handlers run.
CMD ["node", "services/api/dist/main.js"]
