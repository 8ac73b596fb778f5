/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project (worker, sim, bench, tests too) once;
  // checking again here would only double the build's time.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["pino", "pino-pretty", "ioredis", "bullmq", "pg", "@prisma/adapter-pg"],
};

export default nextConfig;
