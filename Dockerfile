# syntax=docker/dockerfile:1
# Mailroom: one image for the gateway (default command), the vendor simulators and the demo seed.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY simulators ./simulators
COPY scripts ./scripts
# dist/ holds src, migrations, simulators and scripts compiled, so the runtime needs no dev dependencies.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Exec form: node is PID 1 and receives SIGTERM itself, so graceful shutdown works.
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
