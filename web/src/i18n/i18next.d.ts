import 'i18next';
import type en from './en.json';

// Makes t('key') type-checked against the English catalogue (the others are checked by
// test/web/i18n-catalogues.test.ts to have exactly the same keys).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
