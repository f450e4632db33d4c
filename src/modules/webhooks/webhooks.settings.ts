import type { Storage } from '../../storage/database.js';
import type { WebhookSettings } from './webhooks.types.js';

/**
 * How a storage's webhooks behave: app.ts sets it from the configuration at start (http and
 * private targets outside production or with WEBHOOKS_ALLOW_PRIVATE_TARGETS); tests shorten the
 * timeout. Unconfigured, the strict defaults hold: https, public addresses, 5 s.
 */

const DEFAULT_SETTINGS: WebhookSettings = {
  allowHttp: false,
  allowPrivateTargets: false,
  timeoutMs: 5_000,
};
const settingsByStorage = new WeakMap<Storage, WebhookSettings>();

/** Sets (some of) this storage's webhook settings. */
export function configureWebhooks(storage: Storage, settings: Partial<WebhookSettings>): void {
  settingsByStorage.set(storage, { ...webhookSettingsOf(storage), ...settings });
}

/** This storage's webhook settings. */
export function webhookSettingsOf(storage: Storage): WebhookSettings {
  return settingsByStorage.get(storage) ?? DEFAULT_SETTINGS;
}
