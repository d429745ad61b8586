import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
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
