// Writes lib/text/radicals.json: each CJK radical code point (U+2E80–U+2FDF)
// and the unified ideograph it stands for, from Unicode's
// EquivalentUnifiedIdeograph.txt (Debian: apt-get install unicode-data).
// PDFs set in common CJK fonts map some glyphs to the radical (⻅ for 见),
// which NFKC does not fold for the Radicals Supplement block.
import { readFileSync, writeFileSync } from "node:fs";

const source = process.argv[2] ?? "/usr/share/unicode/EquivalentUnifiedIdeograph.txt";
const table: Record<string, string> = {};
for (const line of readFileSync(source, "utf8").split("\n")) {
  const m = /^([0-9A-F]{4,5})(?:\.\.([0-9A-F]{4,5}))?\s*;\s*([0-9A-F]{4,5})/u.exec(line);
  if (!m) continue;
  const from = parseInt(m[1], 16);
  const to = m[2] ? parseInt(m[2], 16) : from;
  for (let cp = from; cp <= to; cp++) if (cp >= 0x2e80 && cp <= 0x2fdf) table[String.fromCodePoint(cp)] = String.fromCodePoint(parseInt(m[3], 16));
}
writeFileSync("lib/text/radicals.json", `${JSON.stringify({ source: "Unicode EquivalentUnifiedIdeograph.txt", table })}\n`);
console.log(`radicals: ${Object.keys(table).length} code points`);
