import net from 'node:net';

/**
 * A TCP relay on a loopback port for the dropped-connection tests: it forwards to a real
 * server, and on request cuts a connection after a number of bytes from the client (a link
 * that drops mid-upload) or turns new connections away (a server that stays gone).
 */
export interface FlakyProxy {
  readonly port: number;
  /** Bytes relayed from clients to the server, over every connection. */
  readonly bytesUp: number;
  readonly connections: number;
  /** Cuts the connection that carries the `bytes`-th byte from now on (once). */
  cutAfter(bytes: number): void;
  /** Closes every new connection at once while on. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

/** Starts a relay to 127.0.0.1:`targetPort`. */
export async function startFlakyProxy(targetPort: number): Promise<FlakyProxy> {
  let bytesUp = 0;
  let connections = 0;
  let cutAt: number | null = null;
  let refusing = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections += 1;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      bytesUp += chunk.length;
      if (cutAt !== null && bytesUp >= cutAt) {
        cutAt = null;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get bytesUp() {
      return bytesUp;
    },
    get connections() {
      return connections;
    },
    cutAfter(bytes) {
      cutAt = bytesUp + bytes;
    },
    refuse(on) {
      refusing = on;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
