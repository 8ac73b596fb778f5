import path from "node:path";
import { build } from "esbuild";

/**
 * `npm run build:worker`: bundles the worker's own code (worker/, lib/, the generated Prisma
 * client) into worker/dist/index.mjs, leaving packages in node_modules to load as they are.
 * The Procfile runs that file with plain node. Running the TypeScript through tsx's loader
 * instead costs the worker about 55 MB of resident memory it never gives back (the loader's
 * own thread, the transformed sources and their source maps), a fifth of the 256 MB a worker
 * checking 10 000 tenants is allowed; see bench/README.md.
 */
const root = path.resolve(import.meta.dirname, "..");

await build({
  entryPoints: [path.join(root, "worker/index.ts")],
  outfile: path.join(root, "worker/dist/index.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: path.join(root, "tsconfig.json"),
  sourcemap: "linked",
  logLevel: "warning",
});
