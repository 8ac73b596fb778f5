/** Bundles worker/index.ts into `outfile` (default dist/worker.mjs) and returns its path. */
export function buildWorker(outfile?: string): Promise<string>;
