// Which glibc malloc settings a server process starts with (server/glibc-tunables.cjs):
// huge pages where it loads a whole index, a fixed mmap threshold where it serves lean.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { glibcTunables } = require("../../server/glibc-tunables.cjs") as { glibcTunables: (env: Record<string, string | undefined>) => string };

describe("glibc settings by backend", () => {
  it("asks for huge pages where a whole index is loaded", () => {
    expect(glibcTunables({})).toBe("glibc.malloc.hugetlb=1");
    expect(glibcTunables({ SEARCH_BACKEND: "memory" })).toBe("glibc.malloc.hugetlb=1");
    expect(glibcTunables({ SEARCH_BACKEND: "postgres", POSTGRES_LEAN: "0" })).toBe("glibc.malloc.hugetlb=1");
  });

  it("fixes the mmap threshold for a lean postgres server", () => {
    expect(glibcTunables({ SEARCH_BACKEND: "postgres" })).toBe("glibc.malloc.mmap_threshold=131072");
    expect(glibcTunables({ SEARCH_BACKEND: "postgres", POSTGRES_LEAN: "1" })).toBe("glibc.malloc.mmap_threshold=131072");
  });

  it("keeps what the operator set, even nothing", () => {
    expect(glibcTunables({ SEARCH_BACKEND: "postgres", GLIBC_TUNABLES: "glibc.malloc.arena_max=2" })).toBe("glibc.malloc.arena_max=2");
    expect(glibcTunables({ GLIBC_TUNABLES: "" })).toBe("");
  });
});
