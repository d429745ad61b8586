// What readers search for, counted: one key per query whatever its script,
// width or spacing; searches, no-result searches and opened positions added
// up and written in one batch; beacons from another site, of the wrong
// shape or too large refused; nothing kept with ANALYTICS=0; the report per
// period with every day present.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { beaconAnswer, flushCounts, queryKey } from "@/lib/admin/analytics";
import { adminStore } from "@/lib/admin/admin-store";

const dir = mkdtempSync(path.join(os.tmpdir(), "analytics-"));
const SITE = "http://127.0.0.1:3000";
const headers = (origin: string | null) => new Headers({ ...(origin ? { origin } : {}), host: "127.0.0.1:3000" });
const send = (body: unknown, origin: string | null = SITE) => beaconAnswer(headers(origin), `${SITE}/api/analytics`, typeof body === "string" ? body : JSON.stringify(body));
const today = new Date().toISOString().slice(0, 10);

beforeEach(() => {
  process.env.ADMIN_DB = path.join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  process.env.ANALYTICS = "1";
});

afterAll(() => {
  delete process.env.ADMIN_DB;
  delete process.env.ANALYTICS;
  rmSync(dir, { recursive: true, force: true });
});

describe("what readers search for", () => {
  it("counts a query once whatever its script, width and spacing", () => {
    expect(queryKey("黨建  工作")).toBe("党建 工作");
    expect(queryKey("ＡＩ 党建")).toBe(queryKey("ai 党建"));
    expect(queryKey("   ")).toBeNull();
    expect(queryKey("长".repeat(201))).toBeNull();
  });

  it("adds up searches, no-result searches and opened positions, written together", async () => {
    for (const [q, total] of [["黨建", 3], ["党建", 5], ["星火读书会", 0], ["星火讀書會", 0]] as const) expect((await send({ kind: "search", q, total })).status).toBe(204);
    expect((await send({ kind: "click", q: "党建", position: 2 })).status).toBe(204);
    expect((await send({ kind: "click", q: "党建", position: 2 })).status).toBe(204);
    // Nothing is written until the batch goes.
    expect((await adminStore().queryReport(today, today, 10)).totals.searches).toBe(0);
    await flushCounts();
    const r = await adminStore().queryReport(today, today, 10);
    expect(r.totals).toEqual({ searches: 4, noResults: 2, clicks: 2, queries: 2 });
    expect(r.top).toEqual([
      { query: "党建", searches: 2, noResults: 0, clicks: 2 },
      { query: "星火读书会", searches: 2, noResults: 2, clicks: 0 },
    ]);
    expect(r.noResults.map((x) => x.query)).toEqual(["星火读书会"]);
    expect(r.positions).toEqual([{ position: 2, clicks: 2 }]);
    const month = await adminStore().queryReport("2026-01-01", "2026-01-31", 10);
    expect(month.days).toHaveLength(31);
    expect(month.days.every((d) => d.searches === 0)).toBe(true);
  });

  it("refuses beacons from another site, without an origin, of the wrong shape or over 2 KB", async () => {
    expect((await send({ kind: "search", q: "党建", total: 1 }, "https://evil.example")).status).toBe(403);
    expect((await send({ kind: "search", q: "党建", total: 1 }, null)).status).toBe(403);
    for (const bad of [{ kind: "search", q: 5, total: 1 }, { kind: "search", q: "x", total: -1 }, { kind: "click", q: "x", position: 0 }, { kind: "other", q: "x" }, "not json", ""])
      expect((await send(bad)).status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
    expect((await send({ kind: "search", q: "长".repeat(1000), total: 1 })).status).toBe(413);
    await flushCounts();
    expect((await adminStore().queryReport(today, today, 10)).totals.searches).toBe(0);
  });

  it("keeps nothing with ANALYTICS=0", async () => {
    process.env.ANALYTICS = "0";
    expect((await send({ kind: "search", q: "党建", total: 1 })).status).toBe(204);
    await flushCounts();
    expect((await adminStore().queryReport(today, today, 10)).totals.searches).toBe(0);
  });
});
