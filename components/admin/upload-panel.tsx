"use client";
// Drag and drop (or choose) many files; each goes up in its own request with
// its own progress bar, two at a time, and shows what became of it.
import { useCallback, useRef, useState } from "react";

interface Outcome {
  name: string;
  status: "indexed" | "failed" | "refused";
  articles?: Array<{ id: string; title: string; url: string; warnings: string[] }>;
  error?: string;
  hint?: string;
}

interface Item {
  key: number;
  name: string;
  size: number;
  /** 0–1 while sending; then waiting for the index. */
  progress: number;
  phase: "queued" | "sending" | "indexing" | "done";
  outcome?: Outcome;
}

const PARALLEL = 2;

export function UploadPanel({ csrf, maxMB }: { csrf: string; maxMB: number }) {
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const queue = useRef<Array<{ key: number; file: File }>>([]);
  const active = useRef(0);
  const next = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  const update = (key: number, change: Partial<Item>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));

  const pump = useCallback(() => {
    while (active.current < PARALLEL && queue.current.length) {
      const { key, file } = queue.current.shift()!;
      active.current++;
      const done = (outcome: Outcome) => {
        update(key, { phase: "done", progress: 1, outcome });
        active.current--;
        pump();
      };
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/admin/uploads");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.onprogress = (e) => e.lengthComputable && update(key, { phase: "sending", progress: e.loaded / e.total });
      xhr.upload.onload = () => update(key, { phase: "indexing", progress: 1 });
      xhr.onload = () => {
        let body: { files?: Outcome[]; error?: string } = {};
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON */
        }
        if (xhr.status === 200 && body.files?.[0]) done(body.files[0]);
        else done({ name: file.name, status: "refused", error: body.error ?? `服务器回答 ${xhr.status}`, hint: xhr.status === 401 ? "登录已过期：请重新登录" : undefined });
      };
      xhr.onerror = () => done({ name: file.name, status: "failed", error: "网络中断，文件没有上传完", hint: "请重新上传" });
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    }
  }, [csrf]);

  const add = (files: FileList | null) => {
    if (!files?.length) return;
    const added: Item[] = [];
    for (const file of Array.from(files)) {
      const key = next.current++;
      added.push({ key, name: file.name, size: file.size, progress: 0, phase: "queued" });
      queue.current.push({ key, file });
    }
    setItems((all) => [...added, ...all]);
    pump();
  };

  return (
    <div>
      <div
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          add(e.dataTransfer.files);
        }}
        className={`mt-3 flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-4 py-10 text-center text-sm ${over ? "border-red-600 bg-red-50 dark:bg-red-950" : "border-zinc-300 dark:border-zinc-700"}`}
      >
        <p>把文件拖到这里，可以一次拖多个</p>
        <p className="text-xs text-zinc-500">Word（.docx/.doc/.wps）、PDF、扫描图片、网页、文本、Markdown、JSONL；每个文件不超过 {maxMB} MB</p>
        <label className="cursor-pointer rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          选择文件
          <input ref={input} type="file" multiple className="sr-only" data-testid="upload-input" onChange={(e) => {
            add(e.target.files);
            e.target.value = "";
          }} />
        </label>
      </div>
      {items.length > 0 && (
        <ul className="mt-4 space-y-2" data-testid="upload-list">
          {items.map((i) => (
            <li key={i.key} className="rounded-md border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800" data-testid="upload-item" data-status={i.outcome?.status ?? i.phase}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="truncate font-medium">{i.name}</span>
                <span className="shrink-0 text-xs text-zinc-500 tabular-nums">{i.size < 1024 ? `${i.size} 字节` : i.size < 1048576 ? `${(i.size / 1024).toFixed(0)} KB` : `${(i.size / 1048576).toFixed(1)} MB`}</span>
              </div>
              {i.phase !== "done" ? (
                <>
                  <progress className="mt-1 h-2 w-full" max={1} value={i.phase === "indexing" ? undefined : i.progress} aria-label={`${i.name} 上传进度`} />
                  <p className="text-xs text-zinc-500">{i.phase === "queued" ? "排队中" : i.phase === "sending" ? `上传中 ${Math.round(i.progress * 100)}%` : "已上传，正在建立索引…"}</p>
                </>
              ) : i.outcome?.status === "indexed" ? (
                <p className="mt-1 text-green-800 dark:text-green-300">
                  已收录：
                  {i.outcome.articles!.map((a) => (
                    <a key={a.id} href={a.url} className="mr-2 underline underline-offset-4" data-testid="uploaded-article">
                      {a.title}
                    </a>
                  ))}
                </p>
              ) : (
                <p className="mt-1 text-red-800 dark:text-red-300" data-testid="upload-error">
                  {i.outcome?.error}
                  {i.outcome?.hint && <span className="block text-xs text-zinc-600 dark:text-zinc-400">{i.outcome.hint}</span>}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
