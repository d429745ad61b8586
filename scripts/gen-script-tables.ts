// `npm run gen:script-tables`: derives the character-level Traditional ↔
// Simplified tables from opencc-js and writes lib/text/script-tables.json.
// Run it after upgrading opencc-js; tests/unit/script-tables.test.ts fails until you do.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { normalizeChars } from "@/lib/text/normalize";
import { deriveTables, serializeTables } from "@/lib/text/script";
import { deriveSpellings } from "@/lib/text/spellings";

const file = path.join(process.cwd(), "lib/text/script-tables.json");
const t = deriveTables();
writeFileSync(file, `${JSON.stringify(serializeTables(t))}\n`);
process.stdout.write(`gen:script-tables: ${t.toSimplified.size} Traditional → Simplified characters, ${t.simplifiedOnly.size} Simplified-only characters → ${file}\n`);

// Word-level spellings, keyed by the character-level normalisation just derived (restart to pick it up if it changed).
const spellingFile = path.join(process.cwd(), "lib/text/spelling-table.json");
const spellings = deriveSpellings(normalizeChars);
writeFileSync(spellingFile, `${JSON.stringify(spellings)}\n`);
process.stdout.write(`gen:script-tables: ${spellings.pairs.split("|").length} regional phrase spellings (${spellings.version}) → ${spellingFile}\n`);
