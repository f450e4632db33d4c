import http from 'node:http';

/**
 * Real HTTP to a listening server over a pool of keep-alive connections, so that many requests
 * are in flight at once the way tills and phones send them (app.inject runs them one by one
 * through the router, without sockets).
 */

export interface HttpAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read by the test that asked
  body: any;
}

export interface HttpPool {
  readonly baseUrl: string;
  request(
    method: 'GET' | 'POST',
    path: string,
    headers?: Record<string, string>,
    body?: unknown,
  ): Promise<HttpAnswer>;
  close(): void;
}

/** A client for `baseUrl` (http://host:port) holding up to `connections` keep-alive sockets. */
export function httpPool(baseUrl: string, connections: number): HttpPool {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const base = new URL(baseUrl);
  return {
    baseUrl,
    request(method, path, headers = {}, body) {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise<HttpAnswer>((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method,
            path,
            headers: {
              accept: 'application/json',
              ...(payload && {
                'content-type': 'application/json',
                'content-length': String(payload.length),
              }),
              ...headers,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = text === '' ? null : JSON.parse(text);
              } catch {
                // Not JSON: the test sees the text.
              }
              resolve({ status: response.statusCode ?? 0, body: parsed });
            });
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
