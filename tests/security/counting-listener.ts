import net from "node:net";

/**
 * A TCP listener on loopback (IPv4 and IPv6, same port) that counts every connection it
 * accepts and closes it at once. A refused destination must leave the count at 0.
 */
export interface CountingListener {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

async function listenOn(host: string, port: number, onConnection: () => void): Promise<net.Server> {
  const server = net.createServer((socket) => {
    onConnection();
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, ipv6Only: host === "::1" }, () => resolve());
  });
  return server;
}

export async function startCountingListener(port: number): Promise<CountingListener> {
  let count = 0;
  const servers = [await listenOn("127.0.0.1", port, () => (count += 1)), await listenOn("::1", port, () => (count += 1))];
  return {
    port,
    connections: () => count,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
