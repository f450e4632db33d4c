import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MEMBER_CARD_PDF, MEMBER_CODE_SVG } from '../../../api/profile';
import classes from './profile.module.css';
import { Section } from './Section';

/** The member code as a QR code and in big type, and the printable card. */
export function MemberCardSection({ memberCode }: { memberCode: string }) {
  const { t } = useTranslation();
  return (
    <Section id="profile-card" title={t('profile.card.title')}>
      <Text>{t('profile.card.text')}</Text>
      <img
        className={classes.qr}
        src={MEMBER_CODE_SVG}
        alt={t('profile.card.qrAlt', { code: memberCode })}
        width={224}
        height={224}
        data-testid="member-qr"
      />
      <p className={classes.code} data-testid="profile-member-code">
        {memberCode}
      </p>
      <Button
        component="a"
        href={MEMBER_CARD_PDF}
        target="_blank"
        rel="noopener"
        variant="light"
        size="md"
        className={classes.touch}
      >
        {t('profile.card.print')}
      </Button>
    </Section>
  );
}
