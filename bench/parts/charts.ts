// SVG charts for docs/benchmarks.md, written by `npm run bench`: latency
// against corpus size per system, and recall against p50 latency at ×1.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { SystemResult } from "./systems";

const COLORS: Record<string, string> = {
  project: "#b91c1c",
  scan: "#52525b",
  "flexsearch-jieba": "#2563eb",
  "flexsearch-cjk": "#0891b2",
  "minisearch-jieba": "#7c3aed",
  "sqlite-fts5-trigram": "#ca8a04",
};

const W = 640;
const H = 400;
const M = { l: 70, r: 170, t: 30, b: 50 };
const esc = (s: string) => s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;");

function logScale(lo: number, hi: number, from: number, to: number) {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return (v: number) => from + ((Math.log10(Math.max(v, lo)) - a) / (b - a)) * (to - from);
}

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${M.l}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>
<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/>
<line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/>
<text x="${(M.l + W - M.r) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(16 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
${body}
</svg>\n`;
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

export function writeCharts(results: SystemResult[], dir: string): void {
  const measured = results.filter((r) => r.p50 !== null && r.p50 > 0);
  if (measured.length === 0) return;
  const docs = measured.map((r) => r.docs);
  const lat = measured.map((r) => r.p50!);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...lat)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...lat)));
  const x = logScale(Math.min(...docs) / 1.5, Math.max(...docs) * 1.5, M.l, W - M.r);
  const y = logScale(yLo, yHi, H - M.b, M.t);
  let body = "";
  for (const v of decades(yLo, yHi)) body += `<line x1="${M.l}" x2="${W - M.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${M.l - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toPrecision(1)}</text>`;
  for (const d of [...new Set(docs)]) body += `<text x="${x(d)}" y="${H - M.b + 16}" text-anchor="middle">${d.toLocaleString("en")}</text>`;
  const names = [...new Set(measured.map((r) => r.name))];
  names.forEach((name, i) => {
    const pts = measured.filter((r) => r.name === name).sort((a, b) => a.docs - b.docs);
    const c = COLORS[name] ?? "#000";
    body += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${x(p.docs)},${y(p.p50!)}`).join(" ")}"/>`;
    for (const p of pts) body += `<circle cx="${x(p.docs)}" cy="${y(p.p50!)}" r="3.5" fill="${c}"/>`;
    body += `<rect x="${W - M.r + 12}" y="${M.t + i * 20}" width="12" height="3" fill="${c}"/><text x="${W - M.r + 30}" y="${M.t + i * 20 + 5}">${esc(name)}</text>`;
  });
  writeFileSync(path.join(dir, "latency-vs-size.svg"), frame("p50 query latency vs corpus size (log–log)", "documents", "p50 latency, ms", body));

  const one = measured.filter((r) => r.scale === 1 && r.recall !== null);
  const x2 = logScale(yLo, yHi, M.l, W - M.r);
  const y2 = (v: number) => H - M.b - v * (H - M.b - M.t);
  let body2 = "";
  for (const v of [0, 0.25, 0.5, 0.75, 1]) body2 += `<line x1="${M.l}" x2="${W - M.r}" y1="${y2(v)}" y2="${y2(v)}" stroke="#eee"/><text x="${M.l - 6}" y="${y2(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`;
  for (const v of decades(yLo, yHi)) body2 += `<text x="${x2(v)}" y="${H - M.b + 16}" text-anchor="middle">${v >= 1 ? v : v.toPrecision(1)}</text>`;
  one.forEach((r, i) => {
    const c = COLORS[r.name] ?? "#000";
    body2 += `<circle cx="${x2(r.p50!)}" cy="${y2(r.recall!)}" r="6" fill="${c}" fill-opacity="0.85"/>`;
    body2 += `<circle cx="${x2(r.p50!)}" cy="${y2(r.precision!)}" r="6" fill="none" stroke="${c}" stroke-width="2"/>`;
    body2 += `<rect x="${W - M.r + 12}" y="${M.t + i * 20}" width="10" height="10" fill="${c}"/><text x="${W - M.r + 28}" y="${M.t + i * 20 + 9}">${esc(r.name)}</text>`;
  });
  body2 += `<text x="${W - M.r + 12}" y="${M.t + one.length * 20 + 20}">● recall  ○ precision</text>`;
  writeFileSync(path.join(dir, "recall-vs-latency.svg"), frame("Recall and precision vs p50 latency at ×1", "p50 latency, ms (log)", "recall / precision", body2));
}
