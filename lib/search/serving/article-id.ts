// Article ids from URLs. Ids are slugs made at ingest (letters, digits and
// `_.~-`, see slugId); anything else — a malformed escape, a path with
// slashes or dots going up, a control character — is no article.
import { slugId } from "@/lib/content/slug";

/** The article id a URL segment names, or null when it cannot name one. */
export function articleIdFrom(segment: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  // `~` and `.` are allowed inside ids (id~2 for a duplicate), but no id is only dots.
  return id && id.length <= 200 && slugId(id) === id && !/^\.+$/u.test(id) ? id : null;
}
