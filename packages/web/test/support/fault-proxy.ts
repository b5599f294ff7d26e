import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A plain HTTP proxy in front of the real server that fails chosen requests the way a bad mobile
// network does: a request that never reaches the server (fail), and one the server handled whose
// response is lost on the way back (lose).

export interface FaultRule {
  readonly method: string;
  /** Path prefix, without the query. */
  readonly path: string;
  readonly action: 'fail' | 'lose' | 'reply';
  readonly status: number;
  /** JSON body of a 'reply' rule. */
  readonly body?: unknown;
  /** How many matching requests to fail; then the rule is spent. */
  times: number;
}

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string without its '?', '' when there is none. */
  readonly query: string;
  readonly status: number;
  readonly requestBody: string;
  readonly requestBytes: number;
  readonly responseBody: string;
}

export class FaultProxy {
  readonly log: ProxiedRequest[] = [];
  readonly rules: FaultRule[] = [];
  /** Runs before a matching request is forwarded, e.g. to make an edit while a push is out. */
  beforeForward: ((method: string, path: string) => Promise<void>) | null = null;
  private server: Server | null = null;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = createServer((incoming, outgoing) => {
      void this.handle(incoming).then(({ status, headers, body }) => {
        outgoing.writeHead(status, headers);
        outgoing.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Fails the next `times` requests of `method` to paths starting with `path`. */
  failNext(method: string, path: string, status = 503, times = 1): void {
    this.rules.push({ method, path, action: 'fail', status, times });
  }

  /** Lets the next matching request reach the server but responds to the client with `status`. */
  loseNext(method: string, path: string, status = 503, times = 1): void {
    this.rules.push({ method, path, action: 'lose', status, times });
  }

  /** Responds to the next matching request with `body` without forwarding it. */
  replyNext(method: string, path: string, status: number, body: unknown): void {
    this.rules.push({ method, path, action: 'reply', status, times: 1, body });
  }

  requestsTo(method: string, path: string): ProxiedRequest[] {
    return this.log.filter((entry) => entry.method === method && entry.path.startsWith(path));
  }

  private async handle(incoming: IncomingMessage) {
    const method = incoming.method ?? 'GET';
    const [path = '/', query = ''] = (incoming.url ?? '/').split('?');
    const body = await readAll(incoming);
    const rule = this.rules.find(
      (candidate) =>
        candidate.times > 0 && candidate.method === method && path.startsWith(candidate.path),
    );
    if (rule) rule.times -= 1;

    const request = { method, path, query };
    if (rule?.action === 'fail') return this.record(request, body, injected(rule.status));
    if (rule?.action === 'reply') {
      return this.record(request, body, injected(rule.status, rule.body));
    }

    await this.beforeForward?.(method, path);
    const answer = await this.forward(incoming, body);
    if (rule?.action === 'lose') {
      this.record(request, body, answer);
      return injected(rule.status);
    }
    return this.record(request, body, answer);
  }

  private record(
    request: { readonly method: string; readonly path: string; readonly query: string },
    body: Buffer,
    answer: ProxyAnswer,
  ): ProxyAnswer {
    this.log.push({
      ...request,
      status: answer.status,
      requestBody: body.toString('utf8'),
      requestBytes: body.length,
      responseBody: answer.body.toString('utf8'),
    });
    return answer;
  }

  private forward(incoming: IncomingMessage, body: Buffer): Promise<ProxyAnswer> {
    const target = new URL(incoming.url ?? '/', this.target);
    return new Promise((resolve, reject) => {
      const outgoing = forward(
        target,
        { method: incoming.method, headers: incoming.headers },
        (response) => {
          void readAll(response).then((responseBody) =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers as Record<string, string>,
              body: responseBody,
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

interface ProxyAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function injected(status: number, body?: unknown): ProxyAnswer {
  const json = body ?? { code: 'INJECTED', message: `injected HTTP ${status}` };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // RFC 9110, section 10.2.3: Retry-After gives the wait, here in seconds.
  if (status === 429) headers['retry-after'] = '30';
  return { status, headers, body: Buffer.from(JSON.stringify(json)) };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
