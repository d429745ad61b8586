// Imports started from the browser may not reach this machine or private
// networks (server-side request forgery): literal addresses, names that
// resolve to them, and redirects to them are refused before any request is
// sent; `loopback` lets the tests' own servers through.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressRefusal } from "@/lib/content/importer/addresses";
import { PoliteFetcher } from "@/lib/content/importer/fetcher";

let server: http.Server;
let port = 0;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    if (req.url === "/to-private") {
      res.writeHead(302, { Location: "http://10.1.2.3/secret" });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<html><body><h1>本机页面</h1></body></html>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => server.close());

describe("addresses an import from the browser may reach", () => {
  it("refuses loopback, private, link-local, CGNAT, multicast and unspecified addresses, in IPv4, IPv6 and mapped forms", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1"]) {
      expect(addressRefusal(a, "refuse"), a).toContain("loopback");
      expect(addressRefusal(a, "loopback"), a).toBeNull();
    }
    for (const a of ["10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "fd00::1", "fe80::1", "::", "::ffff:10.0.0.1", "::ffff:169.254.169.254"]) {
      expect(addressRefusal(a, "refuse"), a).toContain("private");
      expect(addressRefusal(a, "loopback"), a).toContain("private");
      expect(addressRefusal(a, "allow"), a).toBeNull();
    }
    for (const a of ["8.8.8.8", "172.32.0.1", "203.0.113.9", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) expect(addressRefusal(a, "refuse"), a).toBeNull();
  });

  it("refuses a literal loopback address and a name that resolves to one before any request is sent", async () => {
    const fetcher = new PoliteFetcher({ addresses: "refuse", delayMs: 0, backoffMs: 10 });
    const before = requests.length;
    for (const url of [`http://127.0.0.1:${port}/page`, `http://[::1]:${port}/page`, `http://localhost:${port}/page`]) {
      const r = await fetcher.fetch(url);
      expect(r.kind, url).toBe("failed");
      expect((r as { reason: string }).reason, url).toMatch(/loopback address.*refused/u);
    }
    expect(requests.length).toBe(before);
  });

  it("with `loopback` allowed, fetches this machine but refuses a redirect to a private address", async () => {
    const fetcher = new PoliteFetcher({ addresses: "loopback", delayMs: 0, backoffMs: 10 });
    const ok = await fetcher.fetch(`http://localhost:${port}/page`);
    expect(ok.kind).toBe("fetched");
    const hop = await fetcher.fetch(`http://127.0.0.1:${port}/to-private`);
    expect(hop.kind).toBe("failed");
    expect((hop as { reason: string }).reason).toContain("10.1.2.3 is a private, link-local or reserved address");
  });
});
