// The floor of the page benchmark: Next.js itself, with nothing of ours. A
// root layout and one dynamic page that reads its query, rendered per request
// by `next start` like the project's pages. What the project's pages serve
// per second is judged against what this serves on the same machine, in the
// same run (bench/load.ts).
export default function Layout({ children }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  );
}
