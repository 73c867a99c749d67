# syntax=docker/dockerfile:1
#
# One image recipe for every costwatch service:
#
#   docker build --build-arg SERVICE=detector --build-arg HTTP_PORT=8083 -t costwatch-detector .
#
# Stage "build" is identical for all four services (the root build compiles every lib and
# service into dist/), so BuildKit builds it once and the four images differ only in the
# last, cheap stage. The entry point is dist/services/${SERVICE}/src/main.js.

ARG NODE_IMAGE=node:24.20-bookworm-slim

# --- manifests: only the package.json files of the npm workspaces ------------------------
# `npm ci` needs every workspace's package.json. Copying just those (instead of all sources)
# keeps the dependency layer cached until a manifest or the lockfile changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY libs ./libs
COPY services ./services
RUN find libs services -type f ! -name package.json -delete

# --- build: install with dev dependencies, compile, then drop dev dependencies -----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY --from=manifests /app/ ./
# npm ci refuses a lock file that lacks other platforms' optional binaries (it was written
# against a registry serving one platform); npm install then installs the locked versions.
RUN npm ci || npm install --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY services ./services
# tsc -p tsconfig.build.json && tsc-alias -p tsconfig.build.json (see package.json "build")
RUN npm run build \
 && npm prune --omit=dev

# --- runtime: production node_modules + dist, non-root ----------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG HTTP_PORT=8080
RUN if [ -z "${SERVICE}" ]; then \
      echo "build with --build-arg SERVICE=<collector|baseline|detector|notifier>" >&2; exit 1; \
    fi
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HTTP_PORT=${HTTP_PORT}
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN test -f "dist/services/${SERVICE}/src/main.js" \
 || { echo "dist/services/${SERVICE}/src/main.js was not built" >&2; exit 1; }

# The official node image ships the unprivileged user `node` (uid 1000). Files stay owned by
# root, so the process cannot modify its own code.
USER node

EXPOSE ${HTTP_PORT}

# No curl in the slim image: Node's own fetch probes the liveness endpoint.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Docker does not expand variables in exec-form CMD, so a shell expands ${SERVICE} and then
# `exec`s node, which keeps node as the process that receives SIGTERM.
CMD ["/bin/sh", "-c", "exec node \"dist/services/${SERVICE}/src/main.js\""]
