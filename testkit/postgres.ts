// A PostgreSQL of the test's own, on loopback in a temporary folder
// (scripts/ensure-postgres.sh installs Debian's package when missing), and
// optionally a hot standby streaming from it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { freePort } from "./production-server";

const SCRIPT = path.resolve(__dirname, "../scripts/ensure-postgres.sh");

export interface TestPostgres {
  url: string;
  port: number;
  dir: string;
  /** A fresh database on this server, for one test's tables. */
  database(name: string): Promise<string>;
  /** Starts a hot standby of this primary (pg_basebackup, streaming replication); returns its URL. */
  standby(): Promise<string>;
  /** Stops the server (immediate shutdown, as a lost machine), keeping its data for resume(). */
  pause(): void;
  /** Starts a paused server again on the same port. */
  resume(): void;
  stop(): void;
}

function run(args: string[]): string {
  return execFileSync("bash", [SCRIPT, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "search-pg-"));
  const port = await freePort();
  const url = run(["start", dir, String(port)]);
  let stopped = false;
  return {
    url,
    port,
    dir,
    async database(name) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/u, `/${name}`);
    },
    async standby() {
      return run(["standby", dir, String(port), String(await freePort())]);
    },
    pause() {
      run(["stop", dir]);
    },
    resume() {
      run(["start", dir, String(port)]);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      run(["stop", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
