/** A problem with one input (file or JSONL line) that is reported, counted and skipped. */
export class ContentError extends Error {}

export interface Problem {
  /** Path relative to the content root (or as given on the command line). */
  file: string;
  line?: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`;
}
