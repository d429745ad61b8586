// What the server says about the URL it was given: parameters left out, or a
// query over the limits. Rendered on the server only (passed into the search
// view as a finished element), so none of it is shipped as JavaScript.
import { LIMITS } from "@/lib/search/client/limits";

const NOTICE = "mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200";

export function PageNotices({ problems, queryProblem }: { problems: string[]; queryProblem: string | null }) {
  return (
    <>
      {problems.map((p) => (
        <p key={p} role="alert" className={NOTICE}>
          已忽略无效参数 {p}
        </p>
      ))}
      {queryProblem && (
        <section role="alert" aria-labelledby="query-refused" className={NOTICE}>
          <h2 id="query-refused" className="font-medium">
            查询超出限制，未执行搜索
          </h2>
          <p className="mt-1">
            一次查询最多 {LIMITS.queryChars} 个字符、{LIMITS.queryParts} 个部分（词、短语、排除词、“或”选项）。请缩短后再搜索。
          </p>
          <p className="mt-1 text-xs opacity-80">{queryProblem}</p>
        </section>
      )}
    </>
  );
}
