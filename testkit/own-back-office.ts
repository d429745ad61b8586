// Tests and benchmarks never use the developer's own back office: the index
// runs they start (`scripts/index.ts`, servers, the index service) would
// apply its corrections and withdrawals to their libraries and record their
// runs in its report. Imported for its effect: ADMIN_DB, unless the caller
// chose one, is a file of this process's own in the temporary folder.
import os from "node:os";
import path from "node:path";

process.env.ADMIN_DB ??= path.join(os.tmpdir(), `dangjian-test-admin-${process.pid}`, "admin.sqlite");
