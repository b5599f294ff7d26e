import { ApiError, NetworkError, SessionExpiredError } from './errors.ts';

// The HTTP client of the app. The access token lives only in this object's memory. The refresh
// token is an httpOnly cookie that the browser sends to /v1/auth by itself, so the client never
// sees it. A 401 on an authenticated call renews the access token once and repeats the call.

const DEFAULT_TIMEOUT_MS = 30_000;

/** Callbacks the client reports to, so it does not depend on the session or the clock. */
export interface ApiHooks {
  /** Gets a new access token; resolves false when the server rejected the saved session. */
  renewAccessToken(): Promise<boolean>;
  /** Sees every response that arrived, for the Date header and the online state. */
  onResponse(response: Response, sentAtMs: number, receivedAtMs: number): void;
  /** Sees every request that did not reach the server. */
  onNetworkFailure(error: NetworkError): void;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Send the access token (default true). */
  readonly auth?: boolean;
  readonly timeoutMs?: number;
}

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  accessToken: string | null = null;

  constructor(
    /** Origin of the API, '' in the browser (same origin) and http://127.0.0.1:port in tests. */
    readonly baseUrl: string,
    private readonly fetchFunction: FetchFunction,
    private readonly hooks: ApiHooks,
    private readonly now: () => number,
  ) {}

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * Sends a request and returns its JSON body. Throws NetworkError when the server was not
   * reached, ApiError for an error status, and SessionExpiredError when a 401 could not be
   * cured by renewing the access token.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    if (auth && !this.accessToken) await this.renewOrThrow();

    let response = await this.send(method, path, options, auth);
    if (response.status === 401 && auth) {
      await this.renewOrThrow();
      response = await this.send(method, path, options, auth);
    }
    if (response.status === 401 && auth) throw new SessionExpiredError();

    return readBody<T>(response);
  }

  /** Access token for a request made outside this client (uploads, the WebSocket). */
  async currentToken(): Promise<string> {
    if (!this.accessToken) await this.renewOrThrow();
    return this.accessToken ?? '';
  }

  async renewOrThrow(): Promise<void> {
    const renewed = await this.hooks.renewAccessToken();
    if (!renewed) throw new SessionExpiredError();
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    auth: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;

    const sentAt = this.now();
    let response: Response;
    try {
      response = await this.fetchFunction(this.url(path), {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const failure = new NetworkError(
        'the server could not be reached; work stays on this device',
        {
          cause: error,
        },
      );
      this.hooks.onNetworkFailure(failure);
      throw failure;
    }

    this.hooks.onResponse(response, sentAt, this.now());
    return response;
  }
}

async function readBody<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text === '' ? undefined : parseJson(text);
  if (response.ok) return body as T;

  const error = (body ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  throw new ApiError(
    response.status,
    typeof error.code === 'string' ? error.code : `HTTP_${response.status}`,
    typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
    error.details ?? null,
    readRetryAfterMs(response.headers.get('retry-after')),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** Reads Retry-After as seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function readRetryAfterMs(header: string | null): number | null {
  if (!header) return null;

  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);

  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
