/** A message pushed to a connected user. */
export interface RealtimeMessage {
  readonly type: string;
  readonly data: unknown;
}

export interface RealtimeConnection {
  send(text: string): void;
}

/**
 * Fans messages out to the WebSocket connections of each user in this process. With several API
 * instances a pub/sub (Redis) carries each message to every instance, which then calls
 * `deliverLocal`; the embedded default has one instance, so `publish` delivers locally.
 */
export class RealtimeHub {
  private readonly connections = new Map<string, Set<RealtimeConnection>>();

  add(userId: string, connection: RealtimeConnection): () => void {
    const set = this.connections.get(userId) ?? new Set();
    set.add(connection);
    this.connections.set(userId, set);

    return () => {
      set.delete(connection);
      if (set.size === 0) this.connections.delete(userId);
    };
  }

  publish(userIds: readonly string[], message: RealtimeMessage): number {
    return this.deliverLocal(userIds, message);
  }

  deliverLocal(userIds: readonly string[], message: RealtimeMessage): number {
    const text = JSON.stringify(message);
    let delivered = 0;
    for (const userId of userIds) {
      for (const connection of this.connections.get(userId) ?? []) {
        connection.send(text);
        delivered += 1;
      }
    }
    return delivered;
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.connections.values()) count += set.size;
    return count;
  }
}
