// A client of one server's back office, as the tests and benchmarks drive it: sign in (the
// cookie and the page's anti-forgery token), upload files, act on articles,
// search.

export const PASSWORD = "一段足够长的测试口令 2026";

export interface Who {
  cookie?: string;
  csrf?: string;
  /** The Origin sent (default the server's own; null for none). */
  origin?: string | null;
}

export type Outcome = { name: string; status: string; stored?: string; articles?: Array<{ id: string; title: string; url: string }>; error?: string; hint?: string };

export function backOffice(base: string) {
  const formPost = (url: string, fields: Record<string, string>, who: Who = {}, accept?: string) => {
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
    const origin = who.origin === undefined ? base : who.origin;
    if (origin) headers.Origin = origin;
    if (who.cookie) headers.Cookie = who.cookie;
    if (accept) headers.Accept = accept;
    return fetch(`${base}${url}`, { method: "POST", headers, body: new URLSearchParams(fields).toString(), redirect: "manual" });
  };
  return {
    base,
    formPost,
    async signIn(name: string, password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
      const r = await formPost("/api/admin/login", { name, password });
      // Plain checks (benchmarks use this too, outside vitest).
      if (r.status !== 303 || r.headers.get("location") !== "/admin") throw new Error(`sign-in as ${name}: ${r.status} to ${r.headers.get("location")}`);
      const cookie = r.headers.get("set-cookie")!.split(";")[0];
      const page = await (await fetch(`${base}/admin`, { headers: { Cookie: cookie } })).text();
      return { cookie, csrf: /name="csrf" value="([\w-]+)"/u.exec(page)![1] };
    },
    async upload(files: Array<[string, Buffer | string]>, who: Who = {}): Promise<{ status: number; body: { files?: Outcome[]; error?: string } }> {
      const form = new FormData();
      for (const [name, bytes] of files) form.append("file", new Blob([typeof bytes === "string" ? Buffer.from(bytes) : new Uint8Array(bytes)]), name);
      const headers: Record<string, string> = {};
      const origin = who.origin === undefined ? base : who.origin;
      if (origin) headers.Origin = origin;
      if (who.cookie) headers.Cookie = who.cookie;
      if (who.csrf) headers["X-CSRF-Token"] = who.csrf;
      const r = await fetch(`${base}/api/admin/uploads`, { method: "POST", headers, body: form });
      return { status: r.status, body: (await r.json().catch(() => ({}))) as { files?: Outcome[]; error?: string } };
    },
    /** An editor's action on an article (JSON answer). */
    act(who: { cookie: string; csrf: string; origin?: string | null }, fields: Record<string, string>) {
      return formPost("/api/admin/articles", { csrf: who.csrf, ...fields }, who, "application/json");
    },
    async search(q: string): Promise<{ total: number; hits: Array<{ id: string; title: string; snippets: unknown }> }> {
      return (await fetch(`${base}/api/search?${new URLSearchParams({ q, group: "0" })}`)).json();
    },
  };
}
