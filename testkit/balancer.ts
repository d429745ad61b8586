// nginx in front of app replicas on one loopback port, as docs/deploy.md
// runs it (least connections, keep-alive to the upstreams).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./production-server";

export interface Balancer {
  base: string;
  stop(): void;
}

export async function startBalancer(upstreams: string[]): Promise<Balancer> {
  const nginx = execFileSync("bash", [path.resolve(__dirname, "../scripts/ensure-nginx.sh")], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), "balancer-"));
  for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, d));
  const port = await freePort();
  const servers = upstreams.map((u) => `    server ${new URL(u).host};`).join("\n");
  writeFileSync(
    path.join(dir, "nginx.conf"),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app {
    least_conn;
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`,
  );
  const child = spawn(nginx, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 50) {
    try {
      const r = await fetch(`${base}/api/search?q=${encodeURIComponent("党建")}`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (waited > 10_000) {
      stop();
      throw new Error(`nginx did not answer on ${base} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, stop };
}
