// A library folder made for one test: a copy of the team-written sample
// content, plus helpers to write, change and remove articles and to index it.
import { existsSync, promises as fs, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { segmentInProcess } from "@/lib/search/build/segmenter";
import { runIndex } from "@/lib/search/build/indexer";

export interface Library {
  root: string;
  content: string;
  index: string;
  /** Writes a Markdown article; returns its path. */
  write(name: string, title: string, body: string, date?: string): Promise<string>;
  remove(name: string): Promise<void>;
  /** One index run in this process (incremental unless `full`). */
  reindex(full?: boolean): ReturnType<typeof runIndex>;
  cleanup(): Promise<void>;
}

export function markdownArticle(title: string, body: string, date = "2024-05-01"): string {
  return `---\ntitle: "${title}"\nauthor: 周明\nsource: 支部工作简报\ndate: ${date}\n---\n\n${body}\n`;
}

/** A copy of the sample content in `dir`, its timestamps well in the past (an unchanged file is then known by its stamp alone). */
export async function copySampleContent(dir: string): Promise<void> {
  await fs.cp("content", dir, { recursive: true });
  const past = new Date(Date.now() - 60_000);
  for (const f of await fs.readdir(dir, { recursive: true })) await fs.utimes(path.join(dir, f), past, past);
}

export async function makeLibrary(prefix: string): Promise<Library> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const content = path.join(root, "content");
  const index = path.join(root, "index");
  await fs.cp("content", content, { recursive: true });
  const lib: Library = {
    root,
    content,
    index,
    async write(name, title, body, date) {
      const file = path.join(content, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, markdownArticle(title, body, date));
      return file;
    },
    remove: (name) => fs.rm(path.join(content, name)),
    reindex: (full = false) => runIndex({ targets: [content], dir: index, full, segmenter: segmentInProcess }),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
  await lib.reindex(true);
  return lib;
}

/** Polls `check` until it holds or `ms` pass; returns the milliseconds it took, or throws. */
export async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The moments of an index run into a folder at which a crash test kills it,
 * each told by what the run leaves on disk: reading (it holds INDEX_DIR/LOCK,
 * and has written nothing of the new generation yet) and writing (a
 * builds/<generation>.partial folder exists).
 */
export function indexRunPhases(indexDir: string): Array<{ phase: "reading" | "writing"; reached: () => boolean }> {
  const partial = () => existsSync(path.join(indexDir, "builds")) && readdirSync(path.join(indexDir, "builds")).some((n) => n.endsWith(".partial"));
  return [
    { phase: "reading", reached: () => existsSync(path.join(indexDir, "LOCK")) && !partial() },
    { phase: "writing", reached: partial },
  ];
}
