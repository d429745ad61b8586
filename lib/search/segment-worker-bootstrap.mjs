// Worker entry for the index build: registers tsx so the TypeScript worker
// body (and the one segmentation module it imports) runs as-is.
import { register } from "tsx/esm/api";

register();
await import("./segment-worker.ts");
