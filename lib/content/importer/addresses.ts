// Which addresses an import started from the browser may reach. A URL an
// editor pastes must not make the server fetch from itself or its private
// network (server-side request forgery): loopback, private, link-local,
// carrier-grade NAT, multicast and unspecified addresses are refused unless
// configuration allows them. Checked on the addresses the name resolves to
// at connection time (no second lookup to slip a different answer into), and
// on literal addresses before connecting; every redirect hop is checked again.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent } from "undici";

/** `refuse`: public addresses only; `loopback`: also this machine (tests); `allow`: anything. */
export type AddressPolicy = "refuse" | "loopback" | "allow";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const PRIVATE = new BlockList();
for (const [net, bits] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4]] as const) PRIVATE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [["::", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) PRIVATE.addSubnet(net, bits, "ipv6");

/** Why this address may not be fetched under the policy, or null. */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  if (policy === "allow") return null;
  const family = isIP(address);
  if (!family) return "not an address";
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/iu.exec(address);
  const [a, type] = mapped ? [mapped[1], "ipv4" as const] : [address, family === 4 ? ("ipv4" as const) : ("ipv6" as const)];
  if (LOOPBACK.check(a, type)) return policy === "loopback" ? null : "a loopback address";
  if (PRIVATE.check(a, type)) return "a private, link-local or reserved address";
  return null;
}

/** An HTTP agent whose connections go only to addresses the policy allows. */
export function guardedAgent(policy: AddressPolicy): Agent {
  const lookup = (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      for (const a of addresses) {
        const why = addressRefusal(a.address, policy);
        if (why) return callback(Object.assign(new Error(`${hostname} resolves to ${a.address}, ${why}: refused (IMPORT_PRIVATE_ADDRESSES)`), { code: "EREFUSEDADDRESS" }), "");
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Agent({ connect: { lookup: lookup as never } });
}
