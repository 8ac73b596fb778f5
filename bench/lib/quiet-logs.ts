/**
 * Imported first by benchmarks: lib/log.ts reads LOG_LEVEL when it is loaded, and a
 * benchmark's table should not drown in the info lines of the code it measures.
 */
process.env.LOG_LEVEL ??= "warn";

export {};
