// Types of env.cjs (the definitions and their parsing are there).
export interface Config {
  /** CONTENT_DIR, resolved. */
  readonly contentDir: string;
  /** INDEX_DIR, resolved. */
  readonly indexDir: string;
  /** OCR_CACHE_DIR, resolved. */
  readonly ocrCacheDir: string;
  readonly adminDb: string;
  readonly uploadMaxBytes: number;
  readonly analytics: boolean;
  readonly importAddresses: "refuse" | "loopback" | "allow";
  readonly ocrLanguages: string;
  readonly backend: "memory" | "postgres";
  readonly databaseUrl: string | null;
  /** DATABASE_READ_URL, else DATABASE_URL. */
  readonly databaseReadUrl: string | null;
  /** DATABASE_SHARD_URLS, in order; empty: unpartitioned. */
  readonly databaseShardUrls: readonly string[];
  readonly postgresLean: boolean;
  readonly leanCacheMB: number;
  readonly resultCacheEntries: number;
  readonly pageCacheBytes: number;
  readonly followBy: "watch" | "signal";
  readonly pollMs: number;
  readonly watchDebounceMs: number;
  /** null: three quarters of the machine's memory (scripts/heap-mb.cjs). */
  readonly indexHeapMB: number | null;
  readonly host: string;
  readonly port: number;
  readonly webConcurrency: number;
  readonly siteUrl: string | null;
  /** As given (undefined: set by backend, server/glibc-tunables.cjs). */
  readonly glibcTunables: string | undefined;
}

export interface Variable {
  /** The value from the variable's text, or undefined when the text is not one; `must` says what it must be. */
  parser: { must: string; parse: (text: string) => unknown };
  fallback: string | null;
  meaning: string;
}

export declare const ENVIRONMENT: Record<string, Variable>;
export declare class ConfigError extends Error {}
export declare function variable(env: Record<string, string | undefined>, name: string): unknown;
export declare function loadConfig(env?: Record<string, string | undefined>): Config;
export declare function config(): Config;
