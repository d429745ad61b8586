import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium where it exists (these machines cannot download Playwright's
// own build); otherwise Playwright's bundled browser.
const systemChromium = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => !!p && existsSync(p),
);

// `npm run test:e2e` picks a free port (scripts/free-port.cjs); the server is always this suite's own, never one already listening.
const PORT = Number(process.env.E2E_PORT || 3100);

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          ...(systemChromium ? { executablePath: systemChromium } : {}),
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    // The production build serving team-written content: the sample library
    // plus fixtures made for the tests (an article with markup in its text).
    command: [
      "node --import tsx scripts/index.ts content tests/fixtures/e2e",
      "node node_modules/next/dist/bin/next build",
      // As `npm start` runs it: one server per core under Node's cluster (server/cluster.cjs).
      `node server/cluster.cjs -H 127.0.0.1 -p ${PORT}`,
    ].join(" && "),
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 300_000,
    // The back office of this server is its own (the admin spec starts a server of its own for its changes).
    env: { NEXT_TELEMETRY_DISABLED: "1", INDEX_DIR: ".index-e2e", ADMIN_DB: ".index-e2e-admin/admin.sqlite" },
  },
});
