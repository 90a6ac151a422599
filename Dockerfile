# Build stage: full dependencies to compile TypeScript.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# Runtime stage: production dependencies and compiled output only.
FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The heap, set rather than left to V8, which sizes it from the container's memory limit: at
# deploy/'s 256 MiB it picks 1 MiB semi-spaces, and under 64 concurrent syncs every promoted
# temporary costs a scavenge (bench:hooks at c=64, three runs each: 0.83-0.90 ms of CPU per
# sync, 0.43-0.69 with these); with no limit it lets old space fill with garbage to ~50 MiB
# before collecting (peak RSS ~180 MiB). The hook server is stateless (~20 MiB live): 8 MiB
# semi-spaces and a 160 MiB old space put V8's own limit (184 MiB) plus node's ~64 MiB
# outside the heap under the pod's, so an impossible load ends in V8's "heap out of memory"
# message rather than a silent OOM kill. A user raising the pod's limit for very large
# payloads sets NODE_OPTIONS in the pod to match.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=160"
# V8's code cache for the bundle (src/load-bundle.ts), written here under the NODE_OPTIONS
# above: V8 rejects a cache made under other flags, as the build stage's was. Compiling the
# bundle took ~120 of the ~420 ms of CPU serve needed to listen; a pod run with other
# NODE_OPTIONS compiles it again at start.
COPY scripts/write-code-cache.mjs ./scripts/
RUN node scripts/write-code-cache.mjs > /dev/null
USER 1000:1000
# 8080 by default; deploy/ serves HTTPS on 8443 (PORT).
EXPOSE 8080 8443
ENTRYPOINT ["node", "bin/atlas-metacontroller.js"]
CMD ["serve"]
