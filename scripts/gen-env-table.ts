// `npm run gen:env-table`: writes the README's environment table from lib/config/env.cjs.
import { readFileSync, writeFileSync } from "node:fs";
import { withEnvironmentTable } from "@/lib/config/env-table";

writeFileSync("README.md", withEnvironmentTable(readFileSync("README.md", "utf8")));
