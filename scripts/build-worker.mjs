// `npm run build` (last step): the production worker as one JavaScript file, dist/worker.mjs,
// with a source map so stack traces name the TypeScript lines (`node --enable-source-maps`).
// npm packages stay external (node_modules is there at run time); Ebbflow's own code
// (worker/, lib/, the generated Prisma client) is bundled. docs/ARCHITECTURE.md has the
// measurements behind running compiled JavaScript rather than tsx; bench/README.md the memory
// (tsx's loader alone kept about 55 MB resident in a worker checking 10 000 tenants).
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

export async function buildWorker(outfile = path.join(root, "dist/worker.mjs")) {
  await build({
    entryPoints: [path.join(root, "worker/index.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const started = performance.now();
  const outfile = await buildWorker();
  console.log(`worker bundled into ${path.relative(root, outfile)} in ${Math.round(performance.now() - started)} ms`);
}
