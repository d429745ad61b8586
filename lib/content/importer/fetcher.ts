// A polite HTTP client for the importer: robots.txt (robots-parser) honoured
// per host, one request at a time per host with a delay between them (or the
// site's Crawl-delay when longer), a User-Agent naming the project, bounded
// time, size and redirects, retries of 429 and 5xx with backoff (Retry-After
// when the server gives one), and conditional requests (ETag,
// Last-Modified) so an unchanged page is not downloaded again.
import { isIP } from "node:net";
import robotsParser from "robots-parser";
import { fetch as undiciFetch, type Agent } from "undici";
import { addressRefusal, guardedAgent, type AddressPolicy } from "@/lib/content/importer/addresses";

export const USER_AGENT = "dangjian-search-importer/0.1 (+https://github.com/dangjian-search; full-text search of a party-building archive)";
/** The token robots.txt groups are matched against. */
const ROBOTS_AGENT = "dangjian-search-importer";

export interface FetchLimits {
  /** Milliseconds a request may take, body included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Attempts of a request that gets 429, 5xx or a network error. */
  attempts: number;
  /** Backoff before the second attempt when the server does not say (doubled each time). */
  backoffMs: number;
  /** A Retry-After longer than this is not waited for: the page fails, saying how long the server asked for. */
  maxRetryAfterMs: number;
  /** Milliseconds between the starts of two requests to one host. */
  delayMs: number;
  /** Requests at once to one host. */
  perHost: number;
  /** Called as each request is sent (its URL and the time): for a log, or to check the pace. */
  onRequest?: (url: string, at: number) => void;
  /** Addresses refused (imports started from the browser); unset: any address (the command line). */
  addresses?: AddressPolicy;
}

export const DEFAULT_LIMITS: Omit<FetchLimits, "onRequest"> = {
  timeoutMs: 30_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
  attempts: 3,
  backoffMs: 2_000,
  maxRetryAfterMs: 120_000,
  delayMs: 1_000,
  perHost: 1,
};

/** What a fetch came to. */
export type Fetched =
  | { kind: "fetched"; url: string; finalUrl: string; status: number; bytes: Buffer; contentType: string | null; etag: string | null; lastModified: string | null }
  | { kind: "unchanged"; url: string; finalUrl: string }
  | { kind: "disallowed"; url: string; reason: string }
  | { kind: "failed"; url: string; reason: string };

/** Validators of the copy already held, sent so that an unchanged page comes back as 304. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

class FetchFailure extends Error {
  constructor(
    message: string,
    /** Whether another attempt may succeed (429, 5xx, network trouble). */
    readonly retry: boolean,
    /** Milliseconds the server asked to wait (Retry-After). */
    readonly after?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After as milliseconds: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/u.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Host {
  robots: Promise<ReturnType<typeof robotsParser> | null>;
  active: number;
  /** The earliest time the host's next request may start (the last start plus the delay). */
  nextStart: number;
  waiting: Array<() => void>;
  delayMs: number;
}

export class PoliteFetcher {
  private readonly hosts = new Map<string, Host>();
  readonly limits: FetchLimits;

  private readonly agent: Agent | null;

  constructor(limits: Partial<FetchLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.agent = this.limits.addresses && this.limits.addresses !== "allow" ? guardedAgent(this.limits.addresses) : null;
  }

  /** A page (following redirects, each hop checked against its host's robots.txt), or why not. */
  async fetch(url: string, validators: Validators = {}): Promise<Fetched> {
    let current = url;
    for (let hop = 0; ; hop++) {
      let parsed: URL;
      try {
        parsed = new URL(current);
      } catch {
        return { kind: "failed", url, reason: `not a URL: ${current}` };
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { kind: "failed", url, reason: `only http and https are fetched, not ${parsed.protocol}` };
      // A literal address is connected to without a lookup: checked here (a name is checked as it resolves, guardedAgent).
      const literal = parsed.hostname.replace(/^\[|\]$/gu, "");
      const refused = this.agent && isIP(literal) ? addressRefusal(literal, this.limits.addresses!) : null;
      if (refused) return { kind: "failed", url, reason: `${parsed.host} is ${refused}: refused (IMPORT_PRIVATE_ADDRESSES)` };
      const allowed = await this.allowed(parsed);
      if (!allowed) return { kind: "disallowed", url, reason: `robots.txt of ${parsed.host} disallows ${parsed.pathname}` };
      let response: Awaited<ReturnType<PoliteFetcher["attempt"]>>;
      try {
        response = await this.withRetries(parsed, hop === 0 ? validators : {});
      } catch (e) {
        return { kind: "failed", url, reason: (e as Error).message };
      }
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.location;
        if (!location) return { kind: "failed", url, reason: `HTTP ${response.status} without a Location` };
        if (hop >= this.limits.maxRedirects) return { kind: "failed", url, reason: `more than ${this.limits.maxRedirects} redirects` };
        current = new URL(location, parsed).href;
        continue;
      }
      if (response.status === 304) return { kind: "unchanged", url, finalUrl: current };
      if (response.status !== 200) return { kind: "failed", url, reason: `HTTP ${response.status}` };
      return { kind: "fetched", url, finalUrl: current, status: 200, bytes: response.bytes, contentType: response.contentType, etag: response.etag, lastModified: response.lastModified };
    }
  }

  /** Bytes of a URL for the importer's own use (robots.txt, sitemaps, feeds): the same politeness, no validators. */
  async fetchBytes(url: string): Promise<{ bytes: Buffer; finalUrl: string; contentType: string | null } | { error: string }> {
    const r = await this.fetch(url);
    if (r.kind === "fetched") return { bytes: r.bytes, finalUrl: r.finalUrl, contentType: r.contentType };
    return { error: r.kind === "unchanged" ? "unchanged" : r.reason };
  }

  private host(u: URL): Host {
    let h = this.hosts.get(u.host);
    if (!h) {
      h = { robots: Promise.resolve(null), active: 0, nextStart: 0, waiting: [], delayMs: this.limits.delayMs };
      this.hosts.set(u.host, h);
      h.robots = this.loadRobots(u, h);
    }
    return h;
  }

  private async loadRobots(u: URL, h: Host): Promise<ReturnType<typeof robotsParser> | null> {
    const robotsUrl = `${u.protocol}//${u.host}/robots.txt`;
    try {
      const r = await this.attempt(new URL(robotsUrl), {}, h);
      // No robots.txt (4xx) allows everything; a server error is taken the same way after retries would be (RFC 9309 says 5xx: assume disallowed; we are stricter only on 5xx).
      if (r.status >= 500) return robotsParser(robotsUrl, "User-agent: *\nDisallow: /\n");
      if (r.status !== 200) return null;
      const parsed = robotsParser(robotsUrl, r.bytes.toString("utf8"));
      const delay = parsed.getCrawlDelay(ROBOTS_AGENT);
      if (delay !== undefined) h.delayMs = Math.max(h.delayMs, Math.min(delay * 1000, 60_000));
      return parsed;
    } catch {
      return null;
    }
  }

  private async allowed(u: URL): Promise<boolean> {
    if (u.pathname === "/robots.txt") return true;
    const robots = await this.host(u).robots;
    return robots ? robots.isAllowed(u.href, ROBOTS_AGENT) !== false : true;
  }

  private async withRetries(u: URL, validators: Validators): Promise<Awaited<ReturnType<PoliteFetcher["attempt"]>>> {
    const h = this.host(u);
    let wait = this.limits.backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.attempt(u, validators, h);
        if (r.status === 429 || r.status >= 500) throw new FetchFailure(`HTTP ${r.status}`, true, retryAfterMs(r.retryAfter));
        return r;
      } catch (e) {
        const failure = e instanceof FetchFailure ? e : new FetchFailure((e as Error).message, true);
        if (!failure.retry || attempt >= this.limits.attempts) throw new FetchFailure(`${failure.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ""}`, false);
        if (failure.after !== undefined && failure.after > this.limits.maxRetryAfterMs) throw new FetchFailure(`${failure.message}; the server asked to wait ${Math.round(failure.after / 1000)} s`, false);
        await sleep(failure.after ?? wait);
        wait *= 2;
      }
    }
  }

  /** One request, when the host's turn comes: its status, headers that matter, and the body (bounded). */
  private async attempt(u: URL, validators: Validators, h: Host) {
    const started = await this.turn(h);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.limits.timeoutMs);
    try {
      const headers: Record<string, string> = { "User-Agent": USER_AGENT, Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "zh-CN,zh;q=0.9" };
      if (validators.etag) headers["If-None-Match"] = validators.etag;
      if (validators.lastModified) headers["If-Modified-Since"] = validators.lastModified;
      let res: Response;
      this.limits.onRequest?.(u.href, started);
      try {
        res = this.agent
          ? ((await undiciFetch(u, { headers, redirect: "manual", signal: controller.signal, dispatcher: this.agent })) as unknown as Response)
          : await fetch(u, { headers, redirect: "manual", signal: controller.signal });
      } catch (e) {
        if (controller.signal.aborted) throw new FetchFailure(`timed out after ${this.limits.timeoutMs / 1000} s`, true);
        const cause = (e as Error & { cause?: Error & { code?: string } }).cause;
        // A refused address is refused again on every try.
        throw new FetchFailure(`network error: ${cause?.message ?? (e as Error).message}`, cause?.code !== "EREFUSEDADDRESS");
      }
      const length = Number(res.headers.get("content-length") ?? "NaN");
      if (length > this.limits.maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw new FetchFailure(`page is ${(length / 1048576).toFixed(1)} MB, over the ${(this.limits.maxBytes / 1048576).toFixed(0)} MB limit`, false);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      if (res.body && res.status === 200) {
        const reader = res.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            size += value.byteLength;
            if (size > this.limits.maxBytes) {
              await reader.cancel().catch(() => {});
              throw new FetchFailure(`page is over the ${(this.limits.maxBytes / 1048576).toFixed(0)} MB limit`, false);
            }
            chunks.push(Buffer.from(value));
          }
        } catch (e) {
          if (e instanceof FetchFailure) throw e;
          if (controller.signal.aborted) throw new FetchFailure(`timed out after ${this.limits.timeoutMs / 1000} s`, true);
          throw new FetchFailure(`network error: ${(e as Error).message}`, true);
        }
      } else await res.body?.cancel().catch(() => {});
      return {
        status: res.status,
        location: res.headers.get("location"),
        retryAfter: res.headers.get("retry-after"),
        contentType: res.headers.get("content-type"),
        etag: res.headers.get("etag"),
        lastModified: res.headers.get("last-modified"),
        bytes: Buffer.concat(chunks),
      };
    } finally {
      clearTimeout(timer);
      h.active--;
      h.waiting.shift()?.();
    }
  }

  /**
   * Waits for the host's turn (and returns its time): fewer than `perHost` requests running, and the
   * delay passed since the last one started (checked again after each sleep,
   * and the next start set in the same step as this one is taken, so that
   * late timers never bring two starts closer than the delay).
   */
  private async turn(h: Host): Promise<number> {
    while (h.active >= this.limits.perHost) await new Promise<void>((r) => h.waiting.push(r));
    h.active++;
    for (let wait = h.nextStart - Date.now(); wait > 0; wait = h.nextStart - Date.now()) await sleep(wait);
    const now = Date.now();
    h.nextStart = now + h.delayMs;
    return now;
  }
}
