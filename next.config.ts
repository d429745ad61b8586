import type { NextConfig } from "next";
import { variable } from "./lib/config/env.cjs";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // The container image (deploy/Dockerfile) builds with NEXT_OUTPUT=standalone: server.js and only the files it needs.
  ...(variable(process.env, "NEXT_OUTPUT") === "standalone" ? { output: "standalone" as const } : {}),
  // nodejieba is a native addon: bundling it makes every request that touches it fail with 500.
  serverExternalPackages: ["nodejieba", "better-sqlite3"],
  outputFileTracingIncludes: {
    "/**": ["./node_modules/nodejieba/submodules/cppjieba/dict/**/*", "./lib/text/dict/**/*"],
    // The PDF page view's pdf.js worker, CMaps and fonts, read from the package at run time (app/pdfjs/[...file]).
    "/pdfjs/**": ["./node_modules/pdfjs-dist/build/pdf.worker.min.mjs", "./node_modules/pdfjs-dist/cmaps/**/*", "./node_modules/pdfjs-dist/standard_fonts/**/*"],
  },
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
