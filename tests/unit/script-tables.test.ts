import { describe, expect, it } from "vitest";
import { deriveTables, scriptTables, serializeTables } from "@/lib/text/script";

describe("the cached script tables", () => {
  it("match what opencc-js derives today (run npm run gen:script-tables if not)", () => {
    expect(serializeTables(scriptTables())).toEqual(serializeTables(deriveTables()));
  });
});
