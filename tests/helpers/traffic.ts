// Requests of every kind against running servers while a test changes the
// index under them: what failed is the test's evidence of "no failed request".

/** Requests of every kind, a few at a time, until stopped: counts what failed. */
export function traffic(bases: string | string[], concurrency = 6) {
  const targets = Array.isArray(bases) ? bases : [bases];
  const urls = ["/api/search?q=党建", "/api/search?q=学习&sort=newest", "/?q=党员", "/api/articles/2019-theme-education-launch?q=主题教育", "/api/search?q=黨建工作"];
  let stop = false;
  let ok = 0;
  const failures: string[] = [];
  const workers = Array.from({ length: concurrency }, async (_, w) => {
    for (let i = w; !stop; i++) {
      const url = urls[i % urls.length];
      const base = targets[i % targets.length];
      try {
        const r = await fetch(base + encodeURI(url));
        await r.arrayBuffer();
        if (r.status === 200) ok++;
        else failures.push(`${base}${url}: ${r.status}`);
      } catch (e) {
        failures.push(`${base}${url}: ${(e as Error).message}`);
      }
    }
  });
  return {
    async end() {
      stop = true;
      await Promise.all(workers);
      return { ok, failures };
    },
  };
}
