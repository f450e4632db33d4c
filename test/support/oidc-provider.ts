import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './server.js';

/**
 * A real OpenID Connect provider for tests: `oidc-provider` on 127.0.0.1 (in memory) with one
 * confidential client and its development login form, where any login name signs in. The login
 * name becomes the account: its `email` claim, verified — unless it starts with `unverified:`,
 * then the rest is the address and `email_verified` is false.
 */

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startTestProvider(options: { redirectUri: string }): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'civicpoints';
  const clientSecret = 'provider-client-secret-for-tests-only';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, sub) {
      const unverified = sub.startsWith('unverified:');
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: unverified ? sub.slice('unverified:'.length) : sub,
          email_verified: !unverified,
        }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key'] },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Plays the person at the provider over plain HTTP: follows the redirects from `authorizationUrl`
 * with the provider's cookies, fills in the login form with `login` and confirms the consent
 * form, until the provider sends the browser to a URL starting with `callbackPrefix`; returns
 * that URL.
 */
export async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  callbackPrefix: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form && { body: form.toString() }),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      if (value.join('=') === '') cookies.delete(name!.trim());
      else cookies.set(name!.trim(), value.join('='));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url).href;
      if (next.startsWith(callbackPrefix)) return next;
      url = next;
      form = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action || !prompt) {
      throw new Error(`the provider answered ${response.status}: ${html.slice(0, 300)}`);
    }
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    form = new URLSearchParams(
      prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt },
    );
  }
  throw new Error('the provider never sent the browser back');
}
