import { exportHref, type SearchState } from "@/lib/search/client/url";

const FORMATS = [
  { format: "csv", label: "CSV（Excel 可直接打开）" },
  { format: "xlsx", label: "Excel 工作簿（.xlsx）" },
  { format: "ris", label: "RIS（Zotero、EndNote、NoteExpress）" },
  { format: "bib", label: "BibTeX" },
] as const;

/** "导出": every result of the search as a file (at most 10,000), as plain links: it works without JavaScript. */
export function ExportMenu({ state, total }: { state: SearchState; total: number }) {
  return (
    <details className="relative inline-block" data-testid="export-menu">
      <summary className="cursor-pointer list-none text-blue-800 underline underline-offset-4 hover:decoration-2 dark:text-blue-300 [&::-webkit-details-marker]:hidden">导出</summary>
      <div className="absolute left-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-2 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <p className="px-2 pb-1 text-zinc-500 dark:text-zinc-400">导出{total > 10_000 ? "前 10000 条" : `全部 ${total} 条`}结果（标题、作者、来源、日期、链接、文号、摘要）：</p>
        <ul>
          {FORMATS.map((f) => (
            <li key={f.format}>
              <a href={exportHref(state, f.format)} download className="block rounded px-2 py-1.5 text-blue-800 hover:bg-zinc-100 dark:text-blue-300 dark:hover:bg-zinc-800" data-format={f.format}>
                {f.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
