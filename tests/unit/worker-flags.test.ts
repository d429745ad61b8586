// The cluster workers' V8 arguments (server/worker-flags.cjs): a 32 MB young
// generation unless the operator chose one.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { workerExecArgv } = require("../../server/worker-flags.cjs") as { workerExecArgv: (execArgv: string[], env: Record<string, string | undefined>) => string[] };

describe("the cluster workers' V8 arguments", () => {
  it("add a 32 MB young generation to the primary's arguments", () => {
    expect(workerExecArgv([], {})).toEqual(["--max-semi-space-size=32"]);
    expect(workerExecArgv(["--import", "tsx"], { NODE_OPTIONS: "--enable-source-maps" })).toEqual(["--import", "tsx", "--max-semi-space-size=32"]);
  });

  it("leave an operator's own size alone, given on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(workerExecArgv(["--max-semi-space-size=8"], { NODE_OPTIONS: "" })).toEqual(["--max-semi-space-size=8"]);
    expect(workerExecArgv(["--max_semi_space_size=64"], {})).toEqual(["--max_semi_space_size=64"]);
    expect(workerExecArgv([], { NODE_OPTIONS: "--max-old-space-size=4096 --max-semi-space-size=16" })).toEqual([]);
    // Another flag that merely starts alike is not one.
    expect(workerExecArgv([], { NODE_OPTIONS: "--max-semi-space-sizes=1" })).toEqual(["--max-semi-space-size=32"]);
  });
});
