import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/corpus/**/*.test.ts"],
    environment: "node",
    setupFiles: ["testkit/own-back-office.ts", "tests/setup/fast-check.ts"],
    testTimeout: 30_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
