import { describe, expect, it } from "vitest";
import { DestinationRefusedError, resolveDestination, resolveUrlDestination, type LookupAll, type ResolveOptions } from "@/lib/net/resolve-destination";

/*
 * lib/net's decision alone, with a resolver the test controls: nothing here opens a socket,
 * so private and link-local ranges can be listed without ever being contacted.
 */
const answers: Record<string, string[]> = {
  "loopback.attacker.test": ["127.0.0.1"],
  "v6-loopback.attacker.test": ["::1"],
  "mapped.attacker.test": ["::ffff:127.0.0.1"],
  "metadata.attacker.test": ["169.254.169.254"],
  "private.attacker.test": ["10.1.2.3"],
  "mixed.attacker.test": ["93.184.216.34", "192.168.1.10"],
  "public.example.test": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "ebbflow-db.internal.test": ["52.1.2.3"],
  "tenant-db.example.test": ["52.1.2.3"],
};
const lookup: LookupAll = async (name) => {
  const found = answers[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};
const strict: ResolveOptions = { allowPrivate: false, lookup, ownServices: [] };

async function refusal(host: string, port = 6379, options = strict): Promise<string> {
  try {
    await resolveDestination(host, port, options);
  } catch (error) {
    if (error instanceof DestinationRefusedError) return error.reason;
    throw error;
  }
  return "allowed";
}

describe("resolveDestination refuses", () => {
  it.each([
    "127.0.0.1", "127.255.0.9", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "0", "0.0.0.0",
    "10.1.2.3", "012.1.2.3", "167772161", "172.16.0.1", "172.31.255.255", "192.168.1.1", "0xc0a80101",
    "169.254.169.254", "2852039166", "0xa9fea9fe", "100.64.0.1", "100.127.255.255", "224.0.0.1", "239.255.255.250",
    "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
    "[::1]", "::1", "[0:0:0:0:0:0:0:1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]",
    "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::127.0.0.1]", "[64:ff9b::a9fe:a9fe]", "[64:ff9b:1::1]",
    "[2002:7f00:1::]", "[2002:c0a8:0101::1]", "[2001:0:4136:e378::1]", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]",
    "[::ffff:10.0.0.1]", "[fe80::]", "[fe80::1%25eth0]", "[FE80::1]", "[fc00::]", "[fd12:3456::1]", "[fec0::1]", "[ff02::1]",
    "[2001:db8::1]", "[100::1]",
    "loopback.attacker.test", "v6-loopback.attacker.test", "mapped.attacker.test",
    "metadata.attacker.test", "private.attacker.test", "mixed.attacker.test",
  ])("%s as a private address", async (host) => {
    expect(await refusal(host)).toBe("private_address");
  });

  it.each(["", "a b", "exa%6dple.com", "[::1", "1.2.3.256", "256.1", "08.1.1.1", "user@host", "host/path", "4294967296"])(
    "%j as not a host",
    async (host) => {
      expect(await refusal(host)).toBe("invalid_host");
    },
  );

  it("a port outside 1-65535", async () => {
    expect(await refusal("public.example.test", 0)).toBe("invalid_host");
    expect(await refusal("public.example.test", 70000)).toBe("invalid_host");
  });

  it("a name that does not resolve, as unreachable", async () => {
    expect(await refusal("nowhere.attacker.test")).toBe("unresolvable");
  });

  it("Ebbflow's own Postgres and Redis by address and port, with the words of any private address", async () => {
    const options = { ...strict, ownServices: [{ host: "ebbflow-db.internal.test", port: 5432 }, { host: "52.9.9.9", port: 6379 }] };
    expect(await refusal("tenant-db.example.test", 5432, options)).toBe("private_address");
    expect(await refusal("52.1.2.3", 5432, options)).toBe("private_address");
    expect(await refusal("[::ffff:52.1.2.3]", 5432, options)).toBe("private_address");
    expect(await refusal("52.9.9.9", 6379, options)).toBe("private_address");
    expect(await refusal("tenant-db.example.test", 5433, options)).toBe("allowed");
    const own = await resolveDestination("52.1.2.3", 5432, options).catch((caught: unknown) => caught);
    const loopback = await resolveDestination("127.0.0.1", 5432, options).catch((caught: unknown) => caught);
    expect(String(own)).toBe(String(loopback));
  });
});

describe("resolveDestination allows", () => {
  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "54.243.1.2", "[2606:4700:4700::1111]", "[::ffff:8.8.8.8]", "[2002:0808:0808::1]", "public.example.test"])(
    "%s",
    async (host) => {
      expect(await refusal(host)).toBe("allowed");
    },
  );

  it("answers the checked address and keeps the name for TLS", async () => {
    const target = await resolveDestination("public.example.test", 6380, strict);
    expect(target).toEqual({ address: "93.184.216.34", family: 4, port: 6380, host: "public.example.test", servername: "public.example.test" });
    const literal = await resolveDestination("[2606:4700:4700::1111]", 443, strict);
    expect(literal).toMatchObject({ address: "2606:4700:4700::1111", family: 6, servername: undefined });
  });

  it("reads host and port from a URL, with the default port when it names none", async () => {
    expect(await resolveUrlDestination("rediss://:pw@public.example.test/0", 6379, strict)).toMatchObject({ address: "93.184.216.34", port: 6379 });
    expect(await resolveUrlDestination("amqp://u:p@public.example.test:5673/vhost", 5672, strict)).toMatchObject({ port: 5673 });
    await expect(resolveUrlDestination("not a url", 1, strict)).rejects.toMatchObject({ reason: "invalid_host" });
  });

  it("loopback and private addresses only when private targets are allowed", async () => {
    expect(await refusal("127.0.0.1", 6379, { ...strict, allowPrivate: true })).toBe("allowed");
    expect(await refusal("metadata.attacker.test", 80, { ...strict, allowPrivate: true })).toBe("allowed");
  });
});
