import { adminStore } from "@/lib/admin/admin-store";
import { guard, refusal } from "@/lib/admin/guard";
import { attachment, csvCell, exportFileName } from "@/lib/search/serving/export";

export const dynamic = "force-dynamic";

/** The most rows an audit export holds (the newest first). */
const AUDIT_EXPORT_ROWS = 100_000;

/** GET /api/admin/audit — the audit log as CSV (UTF-8 with a BOM), newest first; admins only. */
export async function GET(request: Request) {
  const g = await guard(request, { role: "admin" });
  if (!g.ok) return refusal(g);
  const rows = await adminStore().auditLog(AUDIT_EXPORT_ROWS);
  const lines = [["时间（UTC）", "谁", "做了什么", "对象", "之前", "之后"], ...rows.map((e) => [e.at, e.actor ?? "", e.action, e.target ?? "", e.before ?? "", e.after ?? ""])];
  const body = `\uFEFF${lines.map((l) => l.map(csvCell).join(",")).join("\r\n")}\r\n`;
  const name = exportFileName("", "csv", new Date(), ["操作记录", "dangjian-audit"]);
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment({ ...name, name: name.name.replace("-全部", "") }), "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
