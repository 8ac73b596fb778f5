import type { Rng } from "@/bench/policy/rng";

/** z for the 95th percentile of a standard normal. */
const z95 = 1.6448536269514722;

/**
 * The log-normal whose mean and 95th percentile are the given ones (service times of a web
 * app are skewed: most requests are quick, a few are slow). mean = exp(mu + sigma²/2) and
 * p95 = exp(mu + z95·sigma) give sigma as the smaller root of sigma²/2 − z95·sigma + ln(p95/mean) = 0;
 * a log-normal cannot have p95 above about 3.87 × its mean.
 */
export function logNormalFromMeanAndP95(meanMs: number, p95Ms: number): { medianMs: number; sigma: number } {
  if (!(meanMs > 0) || !(p95Ms > meanMs)) throw new Error("need 0 < mean < p95");
  const gap = Math.log(p95Ms / meanMs);
  const discriminant = z95 * z95 - 2 * gap;
  if (discriminant < 0) throw new Error(`a log-normal's p95 is at most ${Math.exp((z95 * z95) / 2).toFixed(2)} × its mean`);
  const sigma = z95 - Math.sqrt(discriminant);
  return { medianMs: meanMs * Math.exp((-sigma * sigma) / 2), sigma };
}

/** A sampler of service times in ms, log-normal with the given mean and p95. */
export function serviceTimeSampler(rng: Pick<Rng, "logNormal">, meanMs: number, p95Ms: number): () => number {
  const { medianMs, sigma } = logNormalFromMeanAndP95(meanMs, p95Ms);
  return () => rng.logNormal(medianMs, sigma);
}
