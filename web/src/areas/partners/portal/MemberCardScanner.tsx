import { Alert, Button, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertIcon } from '../../../components/icons';
import classes from './portal.module.css';

// The Shape Detection API is not in TypeScript's DOM library yet: the little of it used here.
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function barcodeDetector(): BarcodeDetectorConstructor | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor })
    .BarcodeDetector;
  return candidate ?? null;
}

/**
 * Whether this browser can read a QR code from the camera: it has the BarcodeDetector of the
 * Shape Detection API (Chrome and Edge on Android, ChromeOS, macOS) and a camera API. Others
 * (Firefox, Safari on iPhone) type the code.
 */
export function canScan(): boolean {
  return (
    barcodeDetector() !== null &&
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function'
  );
}

/**
 * The camera, looking for the QR code of a member card (it holds exactly the member code);
 * calls `onCode` with the first one it reads and stops. The camera is off again when this
 * closes, whatever happens.
 */
export function MemberCardScanner({
  onCode,
  onClose,
}: {
  onCode: (code: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    const Detector = barcodeDetector();
    if (!Detector) {
      setFailed(true);
      return;
    }
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      try {
        const codes = await detector.detect(video.current);
        const value = codes.find((code) => code.rawValue.trim() !== '')?.rawValue;
        if (value && !stopped) {
          stopped = true;
          found.current(value);
          return;
        }
      } catch {
        // A frame that is not ready yet: look again.
      }
      timer = window.setTimeout(() => void look(), 200);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void look();
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <Stack gap="sm" data-testid="member-card-scanner">
      {failed ? (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
          <Text>{t('partnerPortal.confirm.scanFailed')}</Text>
        </Alert>
      ) : (
        <>
          <Text>{t('partnerPortal.confirm.scanHint')}</Text>
          <video
            ref={video}
            className={classes.video}
            muted
            playsInline
            aria-label={t('partnerPortal.confirm.cameraLabel')}
          />
        </>
      )}
      <Button variant="default" onClick={onClose} className={classes.touch} w="fit-content">
        {t('partnerPortal.confirm.scanStop')}
      </Button>
    </Stack>
  );
}
