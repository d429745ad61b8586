"use client";
// One page of a document's original PDF, drawn by pdf.js in the browser from
// /articles/<id>/original (a download: the file is never shown inline by the
// browser itself). The page shown is the one the reading page linked to, where
// a match is; the buttons turn pages without leaving.
import { useEffect, useRef, useState } from "react";

type PdfJs = typeof import("pdfjs-dist");

export function PdfPage({ src, page, pages: initialPages }: { src: string; page: number; pages?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [current, setCurrent] = useState(page);
  const [total, setTotal] = useState<number | null>(initialPages ?? null);
  const [state, setState] = useState<"loading" | "shown" | "failed">("loading");
  const doc = useRef<Promise<import("pdfjs-dist").PDFDocumentProxy> | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      setState("loading");
      try {
        if (!doc.current) {
          doc.current = (import("pdfjs-dist") as Promise<PdfJs>).then((pdfjs) => {
            pdfjs.GlobalWorkerOptions.workerSrc = "/pdfjs/pdf.worker.min.mjs";
            return pdfjs.getDocument({ url: src, cMapUrl: "/pdfjs/cmaps/", cMapPacked: true, standardFontDataUrl: "/pdfjs/standard_fonts/", isEvalSupported: false }).promise;
          });
        }
        const pdf = await doc.current;
        if (cancelled) return;
        setTotal(pdf.numPages);
        const n = Math.min(Math.max(1, current), pdf.numPages);
        const p = await pdf.getPage(n);
        const el = canvas.current;
        if (!el || cancelled) return;
        const width = el.parentElement?.clientWidth ?? 800;
        const base = p.getViewport({ scale: 1 });
        const scale = width / base.width;
        const ratio = window.devicePixelRatio || 1;
        const viewport = p.getViewport({ scale: scale * ratio });
        el.width = Math.floor(viewport.width);
        el.height = Math.floor(viewport.height);
        el.style.width = `${Math.floor(viewport.width / ratio)}px`;
        el.style.height = `${Math.floor(viewport.height / ratio)}px`;
        await p.render({ canvas: el, viewport }).promise;
        if (!cancelled) setState("shown");
        const url = new URL(window.location.href);
        url.searchParams.set("page", String(n));
        window.history.replaceState(null, "", url);
      } catch {
        if (!cancelled) setState("failed");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [src, current]);

  return (
    <div>
      <div className="mb-3 flex items-center gap-3 text-sm">
        <button type="button" className="rounded border border-zinc-300 px-3 py-1 disabled:opacity-40 dark:border-zinc-700" disabled={current <= 1} onClick={() => setCurrent((c) => c - 1)}>
          上一页
        </button>
        <span aria-live="polite" data-testid="pdf-page-number">
          第 {current} 页{total ? ` / 共 ${total} 页` : ""}
        </span>
        <button type="button" className="rounded border border-zinc-300 px-3 py-1 disabled:opacity-40 dark:border-zinc-700" disabled={total !== null && current >= total} onClick={() => setCurrent((c) => c + 1)}>
          下一页
        </button>
        {state === "loading" && <span className="text-zinc-500">正在打开…</span>}
      </div>
      {state === "failed" && <p role="alert" className="text-red-700">无法在浏览器中显示这一页，请下载原件查看。</p>}
      <canvas ref={canvas} data-state={state} aria-label={`原件第 ${current} 页`} className="w-full border border-zinc-200 shadow-sm dark:border-zinc-800" />
    </div>
  );
}
