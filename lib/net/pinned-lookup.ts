import type { LookupFunction } from "node:net";
import type { Destination } from "@/lib/net/resolve-destination";

/**
 * A `lookup` for node:http(s), net and tls that only ever answers the checked address, so a
 * request keeps the host name (Host header, SNI) while its socket goes where
 * resolveDestination said it may.
 */
export function pinnedLookup(destination: Destination): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [{ address: destination.address, family: destination.family }]);
      return;
    }
    callback(null, destination.address, destination.family);
  };
}
