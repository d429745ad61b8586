// Article ids are slugs: letters, digits and `_.~-`, at most 200 characters.
// Its own module so that code reading ids from URLs does not pull in the
// content pipeline.
export function slugId(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}_.~-]+/gu, "-")
    .replace(/^-+|-+$/gu, "")
    .slice(0, 200);
}
