// The heap limit `npm run index` runs with, in MB: three quarters of the memory
// this machine (or container) has. Node's default (~4 GB here) is too small to
// index ~300k articles: the build of ×10 the corpus died at 4 GB with "heap
// out of memory". INDEX_HEAP_MB overrides it.
const os = require("node:os");
const { variable } = require("../lib/config/env.cjs");

const given = variable(process.env, "INDEX_HEAP_MB");
const constrained = typeof process.constrainedMemory === "function" ? process.constrainedMemory() : 0;
const bytes = constrained > 0 && constrained < os.totalmem() ? constrained : os.totalmem();
process.stdout.write(String(given ?? Math.max(4096, Math.floor((bytes / 2 ** 20) * 0.75))));
