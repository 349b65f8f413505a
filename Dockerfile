# syntax=docker/dockerfile:1
# The live-bridge image: one stream per container.
#
#   docker build -t live-bridge .                          # without a browser
#   docker build -t live-bridge --build-arg WITH_CHROMIUM=1 .  # with Debian's chromium (douyin-browser source)
#   docker run --init --stop-timeout 20 \
#     -v /etc/live-bridge/shop-main.yaml:/etc/live-bridge/stream.yaml:ro \
#     -v live-bridge-shop-main:/var/lib/live-bridge --env-file /etc/live-bridge/shop-main.env live-bridge
#
# Secrets come from the environment at run time (--env-file, Kubernetes Secrets), never from
# the image. Details: docs/operations.md.

ARG NODE_VERSION=20

# --- build: compile TypeScript with the dev dependencies, then keep only the runtime ones ---
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY proto ./proto
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the compiled bridge, its production dependencies and nothing else ---
FROM node:${NODE_VERSION}-slim AS runtime
ARG WITH_CHROMIUM=0
# Debian's chromium for the browser-driven sources (playwright-core never downloads one).
RUN if [ "$WITH_CHROMIUM" = "1" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production \
    LIVE_BRIDGE_STATE_DIR=/var/lib/live-bridge \
    LIVE_BRIDGE_HEALTH_URL=http://127.0.0.1:9464/healthz
WORKDIR /opt/live-bridge
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/proto ./proto
COPY config ./config
# The spool must survive restarts: mount a volume here (Kubernetes: an emptyDir or a PVC).
RUN mkdir -p /var/lib/live-bridge /etc/live-bridge && chown 1000:1000 /var/lib/live-bridge
VOLUME ["/var/lib/live-bridge"]
# The image's `node` user, numeric so that Kubernetes runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 9464
# /healthz answers while the process and its event loop are alive (http.listen must be on
# 127.0.0.1:9464 or 0.0.0.0:9464, or set LIVE_BRIDGE_HEALTH_URL to match).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.LIVE_BRIDGE_HEALTH_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/opt/live-bridge/dist/src/cli/main.js"]
CMD ["run", "/etc/live-bridge/stream.yaml"]
