// Loads the saved index in this (fresh) process and answers the fixed query
// set: the round-trip test compares the answers with those of the index that
// was just built.
// As a server loads it: queries cut with the query segmenter saved in the
// generation (SAVED_SEGMENTER=0: with one built from jieba's files).
import { openIndex } from "@/lib/search/storage/disk-store";
import { loadQuerySegmenter, querySegmenterLoaded } from "@/lib/text/segment";
import { answers } from "./query-set";

(async () => {
  let given = false;
  const index = await openIndex(undefined, (segmenter) => {
    given = segmenter !== null;
    loadQuerySegmenter(process.env.SAVED_SEGMENTER === "0" ? null : segmenter);
  });
  if (!given || !querySegmenterLoaded()) throw new Error("answer-queries: the generation gave no saved query segmenter");
  process.stdout.write(JSON.stringify(answers(index)));
})();
