import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SiteHeader } from "@/components/layout/site-header";
import { AdvancedPreview } from "@/components/search/advanced-preview";
import { advancedHref, EMPTY_FORM, formFromParams, WHERE, type Where } from "@/lib/search/client/advanced";
import { loadSearchIndex } from "@/lib/search/serving/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "高级搜索" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const FIELDS = [
  { name: "all", label: "包含全部这些词", hint: "空格分开：党建 创新", syntax: "党建 创新" },
  { name: "exact", label: "包含完整的词句", hint: "原样匹配：全面从严治党", syntax: '"全面从严治党"' },
  { name: "any", label: "包含任意一个词", hint: "空格分开：乡村振兴 脱贫攻坚", syntax: "乡村振兴 | 脱贫攻坚" },
  { name: "none", label: "不包含这些词", hint: "空格分开：通知", syntax: "-通知" },
] as const;

/** The advanced search form: it writes the query into the search box (GET /advanced?… redirects to the search), so it works without JavaScript. */
export default async function AdvancedPage({ searchParams }: Props) {
  const raw = await searchParams;
  if (raw.go !== undefined) redirect(advancedHref(formFromParams(raw)));
  const form = { ...EMPTY_FORM, ...formFromParams(raw) };
  const index = await loadSearchIndex();
  const docTypes = (await index.searchAsync({ q: "", authors: [], sources: [], from: null, to: null, sort: "newest", page: 1, size: 1 })).facets.docTypes;
  const field = "h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-[15px] dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-3xl px-4 pb-16 pt-4">
        <h1 className="text-2xl font-semibold">高级搜索</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">填写的条件会写成搜索框里的查询语句，下次可以直接输入。</p>
        <form id="advanced-form" method="get" action="/advanced" className="mt-6 space-y-4" data-testid="advanced-form">
          <input type="hidden" name="go" value="1" />
          {FIELDS.map((f) => (
            <div key={f.name} className="grid gap-1 sm:grid-cols-[10rem_1fr] sm:items-center">
              <label htmlFor={`adv-${f.name}`} className="text-[15px] font-medium">
                {f.label}
              </label>
              <div>
                <input id={`adv-${f.name}`} name={f.name} defaultValue={form[f.name]} placeholder={f.hint} className={field} />
                <p className="mt-0.5 text-xs text-zinc-500">
                  语法：<code>{f.syntax}</code>
                </p>
              </div>
            </div>
          ))}
          <fieldset className="grid gap-1 sm:grid-cols-[10rem_1fr] sm:items-center">
            <legend className="float-left text-[15px] font-medium sm:w-40">词语出现在</legend>
            <div className="flex flex-wrap gap-4">
              {(Object.keys(WHERE) as Where[]).map((w) => (
                <label key={w} className="flex items-center gap-1.5 text-[15px]">
                  <input type="radio" name="where" value={w} defaultChecked={form.where === w} />
                  {WHERE[w]}
                  {w !== "any" && <code className="text-xs text-zinc-500">（{w === "title" ? "标题:" : "正文:"}）</code>}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <label className="block text-[15px] font-medium">
              作者 <code className="text-xs font-normal text-zinc-500">作者:</code>
              <input name="author" defaultValue={form.author} placeholder="如：张三" className={`${field} mt-1 font-normal`} />
            </label>
            <label className="block text-[15px] font-medium">
              来源 <code className="text-xs font-normal text-zinc-500">来源:</code>
              <input name="source" defaultValue={form.source} placeholder="如：人民日报" className={`${field} mt-1 font-normal`} />
            </label>
            <label className="block text-[15px] font-medium">
              文种（公文）
              <select name="docType" defaultValue={form.docType} className={`${field} mt-1 font-normal`}>
                <option value="">不限</option>
                {docTypes.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.value}（{t.count}）
                  </option>
                ))}
              </select>
            </label>
            <div className="grid grid-cols-2 gap-2">
              <label className="block text-[15px] font-medium">
                从
                <input name="from" defaultValue={form.from} placeholder="2019 或 2019-05" className={`${field} mt-1 font-normal`} />
              </label>
              <label className="block text-[15px] font-medium">
                到
                <input name="to" defaultValue={form.to} placeholder="2024-12-31" className={`${field} mt-1 font-normal`} />
              </label>
            </div>
          </div>
          <AdvancedPreview formId="advanced-form" />
          <button type="submit" className="h-11 rounded-md bg-red-700 px-6 text-[15px] font-medium text-white hover:bg-red-800">
            搜索
          </button>
        </form>
        <section aria-labelledby="syntax" className="mt-10 border-t border-zinc-200 pt-6 text-sm dark:border-zinc-800">
          <h2 id="syntax" className="text-base font-semibold">
            更多写法
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
            <li>
              <code>党建 NEAR/10 创新</code>：两个词相距不超过 10 个字（前后都可以）
            </li>
            <li>
              <code>党建 NEAR/s 创新</code>：在同一句中；<code>NEAR/p</code>：在同一段中
            </li>
            <li>
              <code>文号:中组发〔2024〕3号</code>：按发文字号查找（括号写法不限）
            </li>
          </ul>
        </section>
      </main>
    </>
  );
}
