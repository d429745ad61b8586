// Replaced generations must become garbage: after ten swaps the heap holds
// one generation, not eleven. Measured in a child process with --expose-gc
// (collections forced before each reading), so it does not depend on when V8
// chooses to collect, as the server's resident memory does
// (tests/server/live-swap.test.ts).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("swapping generations", () => {
  it("keeps no replaced generation reachable: the heap after ten swaps holds less than half a generation more than after the first", () => {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "tests/helpers/swap-heap.ts"], { encoding: "utf8", env: { ...process.env, INDEX_POLL_MS: "600000", INDEX_FOLLOW: "signal" } });
    const { before, withFirst, after, articles } = JSON.parse(out.slice(out.indexOf("{"))) as Record<string, number>;
    const generation = withFirst - before;
    console.log(`heap before loading ${before.toFixed(1)} MB, with the first generation ${withFirst.toFixed(1)} MB (${generation.toFixed(1)} MB a generation of ${articles} articles), after ten swaps ${after.toFixed(1)} MB`);
    expect(generation).toBeGreaterThan(5);
    expect(after - withFirst).toBeLessThan(generation / 2);
  }, 180_000);
});
