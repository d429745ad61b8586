// Loads the saved index in this (fresh) process and answers the fixed query
// set: the round-trip test compares the answers with those of the index that
// was just built.
import { openIndex } from "@/lib/search/store";
import { answers } from "./query-set";

(async () => {
  const index = await openIndex();
  process.stdout.write(JSON.stringify(answers(index)));
})();
