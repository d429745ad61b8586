import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // nodejieba is a native addon: bundling it makes every request that touches it fail with 500.
  serverExternalPackages: ["nodejieba"],
  outputFileTracingIncludes: {
    "/**": ["./node_modules/nodejieba/submodules/cppjieba/dict/**/*", "./lib/text/dict/**/*"],
  },
};

export default nextConfig;
