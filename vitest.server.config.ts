// The server suite: each file starts the production build (`next start`) over
// indexes it makes in temporary folders. Run after `next build` (npm test
// builds it for the end-to-end tests first); one file at a time on 2 cores.
import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["tests/server/**/*.test.ts"],
    environment: "node",
    setupFiles: ["testkit/own-back-office.ts", "tests/setup/fast-check.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
