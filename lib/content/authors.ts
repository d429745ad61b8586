// How an article's several authors are shown as one field (the ingest
// preview, API hits, reading views). Apart from article.ts so that the
// server, which needs only this, does not load the article schema and zod
// with it (tens of milliseconds of start-up and ~10 MB a process).
export const AUTHOR_JOINER = "、";
