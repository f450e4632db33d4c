import { useTranslation } from 'react-i18next';
import classes from './layout.module.css';

/** First focusable element: jumps keyboard users past the header to the main content. */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a href="#main" className={classes.skipLink}>
      {t('skipLink')}
    </a>
  );
}
