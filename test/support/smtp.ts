import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP peer received it: envelope and raw RFC 5322 text. */
export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  port: number;
  /** Everything received so far, oldest first. */
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 and a free port, without TLS or auth; what it
 * receives is pushed to `received` (also returned on the peer).
 */
export function startSmtpPeer(received: ReceivedMail[] = []): Promise<SmtpPeer> {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({
        port,
        received,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * The sign-in link of the newest message to `address` once more than `after` messages reached
 * it, waiting up to 10 s; throws when none came or it holds no link.
 */
export async function waitForSignInLink(
  received: ReceivedMail[],
  address: string,
  after: number,
  page: '/sign-in' | '/work/sign-in' | '/reports/confirm' = '/sign-in',
): Promise<string> {
  const pattern = new RegExp(`https?://\\S+${page.replaceAll('/', '\\/')}#token=[\\w-]+`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const mails = received.filter((m) => m.to.includes(address));
    if (mails.length > after) {
      const parsed = await simpleParser(mails[mails.length - 1]!.raw);
      const link = pattern.exec(parsed.text ?? '')?.[0];
      if (!link) throw new Error(`no ${page} link in: ${parsed.text}`);
      return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${address} within 10 s`);
}
