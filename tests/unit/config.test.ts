// One configuration module (lib/config/env.cjs): every variable the product
// reads is defined there with its default and meaning, a bad value is an
// error naming the variable, the README's table is the module's, and nothing
// else in the product reads the environment for itself.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, ENVIRONMENT, loadConfig } from "@/lib/config/env.cjs";
import { environmentTable } from "@/lib/config/env-table";
import { POLICY_DONE_HEADER } from "@/server/app-contract.cjs";
import { config as proxyConfig } from "@/proxy";

describe("loadConfig", () => {
  it("gives every variable its default when the environment is empty", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ backend: "memory", postgresLean: true, leanCacheMB: 32, resultCacheEntries: 1000, pageCacheBytes: 32 << 20, followBy: "watch", pollMs: 2000, host: "127.0.0.1", port: 3000 });
    expect(c.indexDir.endsWith("/.index")).toBe(true);
    expect(c.contentDir.endsWith("/content")).toBe(true);
    expect(c.databaseUrl).toBeNull();
    expect(c.webConcurrency).toBeGreaterThanOrEqual(1);
  });

  it("reads what is set, and DATABASE_READ_URL falls back to DATABASE_URL", () => {
    const c = loadConfig({ SEARCH_BACKEND: "postgres", DATABASE_URL: "postgres://app@127.0.0.1:5432/db", PORT: "8080", RESULT_CACHE_ENTRIES: "0", SITE_URL: "https://example.org/" });
    expect(c).toMatchObject({ backend: "postgres", databaseUrl: "postgres://app@127.0.0.1:5432/db", databaseReadUrl: "postgres://app@127.0.0.1:5432/db", port: 8080, resultCacheEntries: 0, siteUrl: "https://example.org" });
    expect(loadConfig({ DATABASE_URL: "postgres://a@h/db", DATABASE_READ_URL: "postgres://b@h/db" }).databaseReadUrl).toBe("postgres://b@h/db");
  });

  const bad: Record<string, string> = {
    SEARCH_BACKEND: "sqlite",
    DATABASE_URL: "mysql://x",
    DATABASE_READ_URL: "localhost:5432",
    POSTGRES_LEAN: "yes",
    LEAN_CACHE_MB: "-1",
    RESULT_CACHE_ENTRIES: "1e3",
    PAGE_CACHE_MB: "1.5",
    INDEX_FOLLOW: "poll",
    INDEX_POLL_MS: "5",
    INDEX_WATCH_DEBOUNCE_MS: "soon",
    INDEX_HEAP_MB: "100",
    HOST: " ",
    PORT: "65536",
    WEB_CONCURRENCY: "0",
    SITE_URL: "example.org",
    NEXT_OUTPUT: "export",
    OCR_LANGUAGES: "chi_sim, chi_tra",
    UPLOAD_MAX_MB: "2048",
    ANALYTICS: "off",
    IMPORT_PRIVATE_ADDRESSES: "yes",
    // The same server twice would hold two parts of every generation.
    DATABASE_SHARD_URLS: "postgres://a@127.0.0.1/x,postgres://a@127.0.0.1/x",
  };

  it("refuses a bad value of each variable with an error naming it and the value", () => {
    for (const [name, value] of Object.entries(bad)) {
      let error: unknown;
      try {
        loadConfig({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(ConfigError);
      expect((error as Error).message, name).toContain(`${name} must be`);
      expect((error as Error).message, name).toContain(JSON.stringify(value));
    }
  });

  it("covers every variable but those that take any text", () => {
    const anyText = ["CONTENT_DIR", "INDEX_DIR", "OCR_CACHE_DIR", "ADMIN_DB", "GLIBC_TUNABLES"];
    expect(Object.keys(ENVIRONMENT).sort()).toEqual([...Object.keys(bad), ...anyText].sort());
  });

  it("takes shard servers in order, with the postgres backend only", () => {
    const urls = "postgres://app@10.0.0.1:5432/lib, postgresql://app@10.0.0.2:5432/lib";
    expect(loadConfig({ SEARCH_BACKEND: "postgres", DATABASE_URL: "postgres://app@10.0.0.1:5432/lib", DATABASE_SHARD_URLS: urls }).databaseShardUrls).toEqual(["postgres://app@10.0.0.1:5432/lib", "postgresql://app@10.0.0.2:5432/lib"]);
    expect(loadConfig({}).databaseShardUrls).toEqual([]);
    expect(() => loadConfig({ DATABASE_SHARD_URLS: urls })).toThrow(/DATABASE_SHARD_URLS needs SEARCH_BACKEND=postgres/u);
    expect(() => loadConfig({ DATABASE_SHARD_URLS: "postgres://a/x,http://b/x" })).toThrow(/DATABASE_SHARD_URLS must be distinct postgres:\/\/ or postgresql:\/\/ URLs/u);
  });

  it("names every bad variable at once, and a postgres backend without a database", () => {
    expect(() => loadConfig({ PORT: "x", WEB_CONCURRENCY: "999", SEARCH_BACKEND: "postgres" })).toThrow(/PORT .*; WEB_CONCURRENCY .*; DATABASE_URL is required with SEARCH_BACKEND=postgres/u);
  });
});

describe("the configuration's place", () => {
  it("is the README's environment table (npm run gen:env-table writes it)", () => {
    expect(readFileSync("README.md", "utf8")).toContain(environmentTable());
  });

  it("is the only product code that reads the environment (the framework's own NODE_ENV and NEXT_RUNTIME aside)", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "app", "components", "lib", "server", "scripts", "*.ts"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(ts|tsx|cjs|mjs)$/u.test(f) && existsSync(f) && /^(app|components|lib|server|scripts)\/|^[^/]+$/u.test(f) && !f.startsWith("lib/config/") && !/^(playwright|vitest)/u.test(f));
    const readers: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/process\.env\.([A-Z_]+)|process\.env\[/gu)) {
        if (m[1] === "NODE_ENV" || m[1] === "NEXT_RUNTIME") continue;
        // Setting or passing on the environment of a child process is not reading it.
        const line = text.slice(text.lastIndexOf("\n", m.index) + 1, text.indexOf("\n", m.index));
        if (/process\.env\.[A-Z_]+ *(\?\?=|=(?!=))|\.\.\.process\.env|variable\(process\.env/u.test(line)) continue;
        readers.push(`${f}: ${line.trim()}`);
      }
    }
    // Tools that are not the product (screenshots) read their own settings.
    expect(readers.filter((r) => !r.startsWith("scripts/screenshots.ts"))).toEqual([]);
  });

  it("gives proxy.ts's matcher the header the front server marks requests with (a literal there)", () => {
    const missing = proxyConfig.matcher[0].missing;
    expect(missing).toEqual([{ type: "header", key: POLICY_DONE_HEADER }]);
  });
});
