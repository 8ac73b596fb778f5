/**
 * Closes what Ebbflow's route handlers and checks open in a test process (the checks queue,
 * the shared Redis client, the database pool), so the file's worker exits cleanly.
 */
export async function closeAppConnections(): Promise<void> {
  const { checksQueue } = await import("@/lib/checks/trigger-check");
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  const { disconnectDb } = await import("@/lib/db/client");
  await checksQueue().close();
  await disconnectWebRedis();
  await disconnectDb();
}
