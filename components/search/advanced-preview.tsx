"use client";
// The advanced form's query as it is being filled in: people see the syntax
// the form writes (without JavaScript they see it in the search box after).
import { useEffect, useState } from "react";
import { composeQuery, formFromParams } from "@/lib/search/client/advanced";

export function AdvancedPreview({ formId }: { formId: string }) {
  const [query, setQuery] = useState("");
  useEffect(() => {
    const form = document.getElementById(formId) as HTMLFormElement | null;
    if (!form) return;
    const update = () => setQuery(composeQuery(formFromParams(Object.fromEntries(new FormData(form).entries()) as Record<string, string>)));
    update();
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    return () => {
      form.removeEventListener("input", update);
      form.removeEventListener("change", update);
    };
  }, [formId]);
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-300" aria-live="polite">
      将搜索：<code className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100" data-testid="advanced-preview">{query || "（尚未填写）"}</code>
    </p>
  );
}
