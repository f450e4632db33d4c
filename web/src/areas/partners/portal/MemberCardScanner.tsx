import { Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QrScanner } from '../../../components/QrScanner';
import { hasCamera } from '../../../components/qrDecoder';
import classes from './portal.module.css';

/**
 * Whether this browser can read a QR code from the camera. Every browser with a camera can now:
 * the shared QrScanner decodes with the browser's BarcodeDetector or, where there is none
 * (Firefox, Safari, Chromium on Linux), with ZXing in WebAssembly. Pages without a secure
 * context or a camera API type the code.
 */
export function canScan(): boolean {
  return hasCamera();
}

/**
 * Reads the QR code of a member card (it holds exactly the member code); calls `onCode` with the
 * first one it reads and stops. The camera is off again when this closes, whatever happens.
 */
export function MemberCardScanner({
  onCode,
  onClose,
}: {
  onCode: (code: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="member-card-scanner">
      <QrScanner
        label={t('partnerPortal.confirm.cameraLabel')}
        hint={<Text>{t('partnerPortal.confirm.scanHint')}</Text>}
        onCode={(value) => {
          onCode(value);
          return true;
        }}
      />
      <Button variant="default" onClick={onClose} className={classes.touch} w="fit-content">
        {t('partnerPortal.confirm.scanStop')}
      </Button>
    </Stack>
  );
}
