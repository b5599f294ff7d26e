import pg from 'pg';
import type { Logger } from '../telemetry/logger.ts';
import type { RealtimeEnvelope, RealtimeFanout } from './realtime-hub.ts';

const CHANNEL = 'avior_realtime';

// PostgreSQL rejects NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD_BYTES = 7_900;

const RECONNECT_DELAY_MS = 1_000;

/**
 * Carries real-time messages between processes that share a PostgreSQL database, with
 * LISTEN/NOTIFY: a worker that stores a notification publishes it, and every API process that
 * listens pushes it to its own sockets. NOTIFY is delivered only to sessions listening at that
 * moment, so a message sent while an API process reconnects is not pushed. The notification is
 * still stored, and the client reads it from GET /v1/notifications.
 */
export class PostgresFanout implements RealtimeFanout {
  private readonly notifier: pg.Pool;
  private listener: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    this.notifier = new pg.Pool({ connectionString: url, max: 2 });
    this.notifier.on('error', (error) =>
      this.logger.warn({ err: error }, 'realtime connection lost; the pool reconnects'),
    );
  }

  async publish(envelope: RealtimeEnvelope): Promise<void> {
    const payload = JSON.stringify(envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      this.logger.warn(
        { type: envelope.message.type, bytes: payload.length },
        'realtime message too large to push; clients read it on their next fetch',
      );
      return;
    }

    await this.notifier.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
  }

  /** Starts listening; `deliver` receives every envelope any process publishes. */
  async listen(deliver: (envelope: RealtimeEnvelope) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      deliver(JSON.parse(message.payload) as RealtimeEnvelope);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'realtime listener lost its connection; reconnecting');
      this.scheduleReconnect(deliver);
    });

    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await this.notifier.end();
  }

  private scheduleReconnect(deliver: (envelope: RealtimeEnvelope) => void): void {
    const broken = this.listener;
    this.listener = undefined;
    void broken?.end().catch(() => undefined);

    const retry = () => {
      if (this.closed) return;
      this.listen(deliver).then(
        () => this.logger.info('realtime listener reconnected'),
        () => setTimeout(retry, RECONNECT_DELAY_MS).unref(),
      );
    };
    setTimeout(retry, RECONNECT_DELAY_MS).unref();
  }
}
