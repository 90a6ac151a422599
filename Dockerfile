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
USER 1000:1000
# 8080 by default; deploy/ serves HTTPS on 8443 (PORT).
EXPOSE 8080 8443
ENTRYPOINT ["node", "bin/atlas-metacontroller.js"]
CMD ["serve"]
