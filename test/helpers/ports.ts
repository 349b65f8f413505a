/**
 * Loopback ports for tests that need a port in a given state: one nothing listens on (refused),
 * or one another program holds (busy). Never a fixed number.
 */
import net from 'node:net';

/** A port on loopback that refuses connections (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A port held by a listening server until `release()`. */
export async function busyPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    release: () => new Promise<void>((r) => server.close(() => r())),
  };
}
