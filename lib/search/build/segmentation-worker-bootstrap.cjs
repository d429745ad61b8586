// Worker entry for the index build: registers tsx so the TypeScript worker
// body (and the one segmentation module it imports) runs as-is, whether the
// build runs under tsx or under the test runner.
require("tsx/cjs/api").register();
require("./segmentation-worker.ts");
