import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on 127.0.0.1 for the tests: it verifies CivicPoints-Signature the way
 * docs/webhooks.md tells receivers to (its own code, not the app's), and answers each request
 * as told — 200, 500, or never (a hang past the sender's timeout).
 */

export type Behaviour = 'ok' | 'fail' | 'hang';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Which of the receiver's secrets a v1 in the signature matched. */
  verifiedWith: string[];
  /** Every v1 value in the header. */
  signatures: string[];
  timestamp: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers the next requests in this order; then `fallback`. */
  plan(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  secrets: string[];
  /** The receiver's idea of now (unix seconds), for the 5-minute tolerance. */
  nowSeconds: () => number;
  close(): Promise<void>;
}

/** Verifies a signature header as a receiver should: constant-time, 5 minutes of tolerance. */
export function verify(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
): boolean {
  if (!header) return false;
  const pairs = header.split(',').map((part) => part.split('=', 2) as [string, string]);
  const t = Number(pairs.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return pairs.some(
    ([key, value]) =>
      key === 'v1' &&
      /^[0-9a-f]{64}$/.test(value) &&
      timingSafeEqual(Buffer.from(value, 'hex'), expected),
  );
}

export async function startReceiver(nowSeconds: () => number): Promise<Receiver> {
  const queue: Behaviour[] = [];
  const receiver = {
    received: [] as Received[],
    fallback: 'ok' as Behaviour,
    secrets: [] as string[],
    nowSeconds,
    plan: (...behaviours: Behaviour[]) => queue.push(...behaviours),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['civicpoints-signature'] as string | undefined;
      const pairs = (header ?? '').split(',').map((part) => part.split('=', 2));
      receiver.received.push({
        headers: request.headers,
        body,
        verifiedWith: receiver.secrets.filter((s) => verify(header, body, s, nowSeconds())),
        signatures: pairs.filter(([key]) => key === 'v1').map(([, value]) => value!),
        timestamp: Number(pairs.find(([key]) => key === 't')?.[1]),
      });
      const behaviour = queue.shift() ?? receiver.fallback;
      if (behaviour === 'hang') return;
      response.writeHead(behaviour === 'ok' ? 200 : 500).end(behaviour);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
