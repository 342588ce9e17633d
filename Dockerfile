# One image for the API, the worker and the emulator; docker-compose.yml picks the entry point
# with `command`. TypeScript runs directly through tsx, so there is no build stage: the image is
# the source plus node_modules (dev dependencies included, since tsx and the Prisma CLI that
# `migrate` needs are dev dependencies).
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
COPY packages/jobs/package.json ./packages/jobs/
COPY packages/sample-media/package.json ./packages/sample-media/
COPY services/api/package.json ./services/api/
COPY services/emulator/package.json ./services/emulator/
COPY services/worker/package.json ./services/worker/
RUN npm ci && npm cache clean --force

COPY . .

# Direct uploads wait here for the worker; compose mounts one volume at this path in both the API
# and the worker. It is created owned by `node` so a fresh named volume inherits that owner.
RUN mkdir -p /data/blobs && chown -R node:node /data
ENV HOST=0.0.0.0 \
    BLOB_DIR=/data/blobs

USER node
EXPOSE 3000 4010

# `node --import tsx` rather than `npx tsx`: node is then PID 1 itself and receives SIGTERM
# directly, so the services' own shutdown handlers run (no npx/tsx parent in between).
CMD ["node", "--import", "tsx", "services/api/src/main.ts"]
