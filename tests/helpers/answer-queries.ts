// Loads the saved index in this (fresh) process and answers the requests given
// as JSON on the command line: the round-trip test compares the answers with
// those of the index that was just built.
import { indexDir, SearchIndex } from "@/lib/search/engine";

(async () => {
  const requests = JSON.parse(process.argv[2]);
  const index = await SearchIndex.load(indexDir());
  const answers = requests.map((r: Parameters<SearchIndex["search"]>[0]) => ({ ...index.search(r), tookMs: 0 }));
  process.stdout.write(JSON.stringify(answers));
})();
