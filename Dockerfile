# PaliGemma service image: `docker build -t paligemma .` then
# `docker run -p 8080:8080 -v paligemma-cache:/cache paligemma` (the model downloads into /cache on first start).
# A gated or private model needs a Hugging Face token at run time (HF_TOKEN, or a secret file at HF_TOKEN_PATH; see
# examples/container): never bake it into the image as an ENV or a build argument.
# Build stage: the whole workspace, dev dependencies included, built with tsup.
FROM node:20-bookworm-slim AS build
# onnxruntime-node's install script would fetch CUDA libraries; the CPU build ships inside the npm package.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    CI=true
RUN npm i -g pnpm@10
WORKDIR /src
# Dependencies first, from the lockfile alone, so code changes do not invalidate this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline && pnpm build
# The server with its production dependencies only (workspace packages copied in, built). onnxruntime-node ships
# native libraries for every OS and CPU (~290 MB); only this platform's are kept (~45 MB).
RUN pnpm --filter @paligemma/server deploy --prod --legacy /app && \
    for napi in /app/node_modules/.pnpm/onnxruntime-node@*/node_modules/onnxruntime-node/bin/napi-v*; do \
      find "$napi" -mindepth 2 -maxdepth 2 -type d ! -path "$napi/linux/$(node -p process.arch)" -exec rm -rf {} +; \
    done

# Runtime stage: Node, the built server and its production dependencies; no compilers, no pnpm, no sources of others.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    HOST=0.0.0.0 \
    PORT=8080 \
    PALIGEMMA_MODEL=Xenova/paligemma-3b-mix-224 \
    PALIGEMMA_CACHE_DIR=/cache
WORKDIR /app
COPY --from=build /app /app
# The model cache is written at run time by the unprivileged user; give it the folder before it becomes a volume.
RUN mkdir -p /cache && chown node:node /cache
USER node
VOLUME /cache
EXPOSE 8080
# No curl in the slim image: Node's own fetch checks liveness. The first start may download several GB, so the
# start period is long; /healthz answers while the model loads (use /readyz for traffic).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
