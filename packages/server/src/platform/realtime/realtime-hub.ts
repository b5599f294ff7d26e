/** A message pushed to a connected user. */
export interface RealtimeMessage {
  readonly type: string;
  readonly data: unknown;
}

export interface RealtimeConnection {
  send(text: string): void;
}

/** A message on its way to the users it is for, as it crosses between processes. */
export interface RealtimeEnvelope {
  readonly userIds: readonly string[];
  readonly message: RealtimeMessage;
}

/** Carries envelopes to every API process, where each delivers to its own connections. */
export interface RealtimeFanout {
  publish(envelope: RealtimeEnvelope): Promise<void>;
}

/**
 * Fans messages out to the WebSocket connections of each user. Without a fanout, `publish`
 * delivers in this process, which is right when one process serves every socket. With one
 * (PostgreSQL LISTEN/NOTIFY when several processes share a database), `publish` hands the
 * message to it, and every API process delivers what it receives through `deliverLocal`.
 */
export class RealtimeHub {
  private readonly connections = new Map<string, Set<RealtimeConnection>>();
  private fanout: RealtimeFanout | undefined;

  constructor(private readonly onPublishError: (error: unknown) => void = () => undefined) {}

  useFanout(fanout: RealtimeFanout): void {
    this.fanout = fanout;
  }

  add(userId: string, connection: RealtimeConnection): () => void {
    const set = this.connections.get(userId) ?? new Set();
    set.add(connection);
    this.connections.set(userId, set);

    return () => {
      set.delete(connection);
      if (set.size === 0) this.connections.delete(userId);
    };
  }

  publish(userIds: readonly string[], message: RealtimeMessage): void {
    if (!this.fanout) {
      this.deliverLocal({ userIds, message });
      return;
    }

    this.fanout.publish({ userIds, message }).catch(this.onPublishError);
  }

  /** Sends to this process's connections of the envelope's users; returns how many got it. */
  deliverLocal(envelope: RealtimeEnvelope): number {
    const text = JSON.stringify(envelope.message);
    let delivered = 0;
    for (const userId of envelope.userIds) {
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
