/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // gzip cost the Partner API and agents' small JSON answers about 8 % of the web process's
  // CPU (measured with --cpu-prof under the provision benchmark); pages and chart data are
  // kept small instead (charts are bounded to a few hundred points a series).
  compress: false,
  // `npm run typecheck` checks the whole project (worker, sim, bench, tests too) once;
  // checking again here would only double the build's time.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["pino", "pino-pretty", "ioredis", "bullmq", "pg", "@prisma/adapter-pg"],
};

export default nextConfig;
