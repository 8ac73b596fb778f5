import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { ProbeError, connectionProbeError } from "@/lib/queues/errors";
import { blockedReason } from "@/lib/queues/pull/address-filter";

export interface SafeGetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** Development only: skip the private-address check. */
  allowPrivateAddresses: boolean;
}

interface Resolved {
  address: string;
  family: 4 | 6;
}

/** Resolves `host` and refuses it unless every address it resolves to may be reached. */
export async function resolvePublic(host: string, allowPrivate: boolean): Promise<Resolved[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  let addresses: Resolved[];
  if (isIP(bare)) {
    addresses = [{ address: bare, family: isIP(bare) === 6 ? 6 : 4 }];
  } else {
    try {
      const found = await dnsLookup(bare, { all: true, verbatim: true });
      addresses = found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
    } catch (error) {
      throw connectionProbeError(error, `the endpoint's host ${bare}`, 0);
    }
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const reason = blockedReason(address);
      if (reason) {
        throw new ProbeError(
          "address_refused",
          `Ebbflow does not fetch ${bare}: ${reason}. The metrics endpoint must be reachable on the public internet (your app's https://<app>.herokuapp.com/... URL).`,
          { target: bare },
        );
      }
    }
  }
  if (addresses.length === 0) throw new ProbeError("unreachable", `The host ${bare} resolves to no address.`);
  return addresses;
}

/** A lookup that only ever answers with the addresses checked beforehand. */
function pinnedLookup(addresses: Resolved[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, addresses);
      return;
    }
    const first = addresses.find((candidate) => !options.family || candidate.family === options.family) ?? addresses[0];
    callback(null, first?.address ?? "", first?.family ?? 4);
  };
}

/**
 * GET `url` with the guards a fetch of a customer-supplied URL needs: http(s) only, every
 * resolved address checked, no redirects followed, a whole-request timeout and a size cap.
 */
export async function safeGet(rawUrl: string, options: SafeGetOptions): Promise<{ status: number; body: string }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ProbeError("invalid_config", "The endpoint URL is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProbeError("invalid_config", "The endpoint URL must start with https:// (or http://).");
  }
  const addresses = await resolvePublic(url.hostname, options.allowPrivateAddresses);
  const client = url.protocol === "https:" ? https : http;
  const path = `${url.pathname}${url.search}`;

  return await new Promise((resolve, reject) => {
    const fail = (error: ProbeError) => {
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path,
        method: "GET",
        headers: { accept: "application/json", "user-agent": "Ebbflow-Probe/1", ...options.headers },
        lookup: pinnedLookup(addresses),
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.resume();
          fail(new ProbeError("bad_response", `The endpoint answered ${status} (a redirect); Ebbflow does not follow redirects. Use the final URL.`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            fail(new ProbeError("bad_response", `The endpoint's answer is larger than ${Math.round(options.maxBytes / 1024)} KB.`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (error) => fail(connectionProbeError(error, "The endpoint", options.timeoutMs)));
      },
    );
    const timer = setTimeout(
      () =>
        fail(
          new ProbeError("timeout", `The endpoint did not answer within ${options.timeoutMs} ms.`, {
            target: url.hostname,
          }),
        ),
      options.timeoutMs,
    );
    request.on("error", (error) => fail(connectionProbeError(error, "The endpoint", options.timeoutMs)));
    request.end();
  });
}
