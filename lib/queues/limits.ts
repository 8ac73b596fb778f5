/** Connect and command/statement timeout of every direct probe (Redis and Postgres). */
export const PROBE_TIMEOUT_MS = 2000;

/** Whole-request timeout of a pull from an app's HTTP endpoint. */
export const PULL_TIMEOUT_MS = 5000;

/** Largest HTTP pull response read; a metrics endpoint has no reason to send more. */
export const PULL_MAX_BYTES = 256 * 1024;

/** Most rows (queues) a Postgres probe returns when it discovers queue names itself. */
export const SQL_DISCOVERY_LIMIT = 200;
