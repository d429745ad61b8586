import type { NextConfig } from "next";
import { variable } from "./lib/config/env.cjs";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // The container image (deploy/Dockerfile) builds with NEXT_OUTPUT=standalone: server.js and only the files it needs.
  ...(variable(process.env, "NEXT_OUTPUT") === "standalone" ? { output: "standalone" as const } : {}),
  // nodejieba is a native addon: bundling it makes every request that touches it fail with 500.
  serverExternalPackages: ["nodejieba"],
  outputFileTracingIncludes: {
    "/**": ["./node_modules/nodejieba/submodules/cppjieba/dict/**/*", "./lib/text/dict/**/*"],
  },
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default nextConfig;
