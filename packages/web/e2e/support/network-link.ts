import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 between the browser and the server that a test can cut like a lost
 * signal: `cut` resets every open connection, requests in flight included, and resets new ones
 * until `restore`. Chromium's offline emulation cannot stand in for it: in Chromium 156 it stops
 * new requests but lets a request already sending its body finish.
 */
export interface NetworkLink {
  /** Base URL of the relay, such as http://127.0.0.1:41235; the browser uses it as the origin. */
  readonly url: string;
  /** Points the relay at the server's port; connections before this are reset. */
  connectTo(port: number): void;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Starts a relay on a free port. Its URL is known before the server starts, so the server's
 * PUBLIC_URL can name it.
 */
export async function startNetworkLink(): Promise<NetworkLink> {
  const open = new Set<Socket>();
  let targetPort: number | undefined;
  let connected = true;

  const relay = createServer((client) => {
    if (!connected || targetPort === undefined) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', resolve);
  });
  const address = relay.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    connectTo: (port) => {
      targetPort = port;
    },
    cut: () => {
      connected = false;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore: () => {
      connected = true;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
