import type { Locale } from '../../shared/locales.js';
import type { RedemptionRefusal } from './vouchers.types.js';

/**
 * Why a till cannot redeem a voucher, in the cashier's language (the API's `detail`; the POS
 * page has the same texts in its catalogues). `{when}` and `{where}` are filled in for a voucher
 * already redeemed.
 */
export const REDEMPTION_REFUSAL_TEXTS: Record<RedemptionRefusal, Record<Locale, string>> = {
  voucher_expired: {
    nl: 'Deze bon is verlopen.',
    fr: 'Ce bon a expiré.',
    de: 'Dieser Gutschein ist abgelaufen.',
    en: 'This voucher has expired.',
  },
  voucher_already_redeemed: {
    nl: 'Deze bon is al gebruikt ({when}, {where}).',
    fr: 'Ce bon a déjà été utilisé ({when}, {where}).',
    de: 'Dieser Gutschein wurde bereits eingelöst ({when}, {where}).',
    en: 'This voucher was already redeemed ({when}, {where}).',
  },
  voucher_wrong_partner: {
    nl: 'Deze bon kan hier niet gebruikt worden.',
    fr: 'Ce bon ne peut pas être utilisé ici.',
    de: 'Dieser Gutschein kann hier nicht eingelöst werden.',
    en: 'This voucher cannot be redeemed here.',
  },
  voucher_out_of_scope: {
    nl: 'Deze bon geldt alleen in de gemeente die hem uitgaf.',
    fr: "Ce bon n'est valable que dans la commune qui l'a émis.",
    de: 'Dieser Gutschein gilt nur in der Gemeinde, die ihn ausgegeben hat.',
    en: 'This voucher is only valid in the municipality that issued it.',
  },
  voucher_cancelled: {
    nl: 'Deze bon is geannuleerd.',
    fr: 'Ce bon a été annulé.',
    de: 'Dieser Gutschein wurde storniert.',
    en: 'This voucher was cancelled.',
  },
  voucher_invalid_signature: {
    nl: 'Deze code is geen geldige bon.',
    fr: "Ce code n'est pas un bon valable.",
    de: 'Dieser Code ist kein gültiger Gutschein.',
    en: 'This code is not a valid voucher.',
  },
  voucher_not_found: {
    nl: 'Er bestaat geen bon met deze code.',
    fr: "Aucun bon n'a ce code.",
    de: 'Es gibt keinen Gutschein mit diesem Code.',
    en: 'There is no voucher with this code.',
  },
};

/** The refusal's text in `locale`, with when and where it was redeemed where that applies. */
export function refusalText(
  code: RedemptionRefusal,
  locale: Locale,
  facts: { when?: string; where?: string } = {},
): string {
  return REDEMPTION_REFUSAL_TEXTS[code][locale]
    .replace('{when}', facts.when ?? '?')
    .replace('{where}', facts.where ?? '?');
}
