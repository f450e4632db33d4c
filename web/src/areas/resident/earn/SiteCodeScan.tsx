import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QrScanner } from '../../../components/QrScanner';
import { hasCamera } from '../../../components/qrDecoder';

/**
 * The site code read from the QR code on the partner's kiosk screen, which holds just its six
 * digits (docs/web.md). Anything else read is said to be no site code, and the camera keeps
 * looking.
 */
export function siteCodeFromQr(value: string): string | null {
  const digits = value.trim().replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** "Scan the code" beside the site-code field: the camera fills the field from the kiosk's QR. */
export function SiteCodeScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [notACode, setNotACode] = useState(false);
  if (!hasCamera()) return null;
  if (!open) {
    return (
      <Button
        variant="light"
        size="md"
        mih="2.75rem"
        w="fit-content"
        onClick={() => {
          setNotACode(false);
          setOpen(true);
        }}
        data-testid="claim-site-code-scan"
      >
        {t('earn.form.siteCode.scan')}
      </Button>
    );
  }
  return (
    <Stack gap="xs">
      <QrScanner
        label={t('earn.form.siteCode.cameraLabel')}
        hint={<Text>{t('earn.form.siteCode.scanHint')}</Text>}
        onCode={(value) => {
          const code = siteCodeFromQr(value);
          if (!code) {
            setNotACode(true);
            return false;
          }
          onCode(code);
          setOpen(false);
          return true;
        }}
        data-testid="claim-site-code-scanner"
      />
      {notACode && (
        <Text role="alert" c="red.9" fw={600}>
          {t('earn.form.siteCode.notACode')}
        </Text>
      )}
      <Button variant="default" mih="2.75rem" w="fit-content" onClick={() => setOpen(false)}>
        {t('earn.form.siteCode.scanStop')}
      </Button>
    </Stack>
  );
}
