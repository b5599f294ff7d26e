import { openAsBlob } from 'node:fs';
import WebSocket from 'ws';

/** A failed API call, with the status and the API's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Notification {
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly data: Record<string, string | number | null>;
}

/** A small client of the public HTTP API, as any integration would write it. */
export class AviorClient {
  private token: string | undefined;

  constructor(readonly baseUrl: string) {}

  async login(email: string, password: string): Promise<{ id: string; name: string }> {
    const session = await this.call<{ accessToken: string; user: { id: string; name: string } }>(
      'POST',
      '/v1/auth/login',
      { email, password },
    );
    this.token = session.accessToken;
    return session.user;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  /** Uploads a file through a signed link: ask for the link, then PUT the bytes to it. */
  async uploadSigned(
    surveyId: string,
    file: { path: string; name: string; contentType: string; size: number; questionId: string },
  ) {
    const { media, upload } = await this.post<{
      media: { id: string };
      upload: { url: string; method: string };
    }>(`/v1/surveys/${surveyId}/media/uploads`, {
      fileName: file.name,
      contentType: file.contentType,
      byteSize: file.size,
      questionId: file.questionId,
    });
    const response = await fetch(upload.url, {
      method: upload.method,
      headers: { 'content-type': file.contentType },
      body: await openAsBlob(file.path),
    });
    if (!response.ok) throw await toApiError(response);
    return media.id;
  }

  /** Uploads a file as multipart/form-data. */
  async uploadMultipart(
    surveyId: string,
    file: { path: string; name: string; contentType: string; questionId: string },
  ) {
    const form = new FormData();
    form.set('questionId', file.questionId);
    form.set(
      'file',
      new File([await openAsBlob(file.path)], file.name, { type: file.contentType }),
    );
    const response = await fetch(`${this.baseUrl}/v1/surveys/${surveyId}/media`, {
      method: 'POST',
      headers: this.authHeaders(),
      body: form,
    });
    if (!response.ok) throw await toApiError(response);
    const body = (await response.json()) as { media: { id: string } };
    return body.media.id;
  }

  async download(url: string): Promise<Buffer> {
    const response = await fetch(url);
    if (!response.ok) throw await toApiError(response);
    return Buffer.from(await response.arrayBuffer());
  }

  /** Opens the notification socket; `onNotification` sees every pushed notification. */
  async connect(onNotification: (notification: Notification) => void): Promise<WebSocket> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/v1/ws?access_token=${encodeURIComponent(this.token ?? '')}`;
    const socket = new WebSocket(url);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; data: Notification };
      if (message.type === 'notification') onNotification(message.data);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return socket;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...this.authHeaders(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw await toApiError(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  // fetch reports a refused connection as a bare "fetch failed"; this names the server.
  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new Error(
        `Cannot reach the Avior server at ${this.baseUrl} (${cause}); is it running?`,
      );
    }
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { code: string; message: string };
    return new ApiError(response.status, body.code, body.message);
  } catch {
    return new ApiError(response.status, 'UNKNOWN', text.slice(0, 200));
  }
}
