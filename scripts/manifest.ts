import { writeFile } from "node:fs/promises";
import path from "node:path";
import { env, EnvError } from "@/lib/env";
import { buildManifest } from "@/lib/heroku/manifest";

/** `npm run manifest`: writes addon-manifest.json from the environment (it holds secrets: not committed). */
async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? "addon-manifest.json");
  await writeFile(file, `${JSON.stringify(buildManifest(env()), null, 2)}\n`, { mode: 0o600 });
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
