// The README's environment table, rendered from the definitions in env.cjs:
// `npm run gen:env-table` writes it between its markers, and a unit test
// fails when the README's copy differs.
import { ENVIRONMENT } from "@/lib/config/env.cjs";

const TABLE_START = "<!-- environment table: npm run gen:env-table -->";
const TABLE_END = "<!-- end of environment table -->";

export function environmentTable(): string {
  const rows = Object.entries(ENVIRONMENT).map(([name, v]) => `| \`${name}\` | ${v.fallback === null ? "—" : `\`${v.fallback}\``} | ${v.meaning} |`);
  return [TABLE_START, "| variable | default | meaning |", "|---|---|---|", ...rows, TABLE_END].join("\n");
}

/** `readme` with its table replaced by the current one (the markers must be there). */
export function withEnvironmentTable(readme: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md: no environment table between "${TABLE_START}" and "${TABLE_END}"`);
  return readme.slice(0, a) + environmentTable() + readme.slice(b + TABLE_END.length);
}
