// Files that long-lived readers keep open (an n-gram file, an article file):
// each is closed once its reader is garbage-collected. A generation replaced
// by a newer one stops being referenced when its last request ends; an open
// file deleted meanwhile (an old generation's folder) stays readable until then.
import { closeSync } from "node:fs";

const registry = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/** Closes `fd` when `owner` is collected. */
export function closeWhenCollected(owner: object, fd: number): void {
  registry.register(owner, fd);
}
