import { Alert, Loader, Text } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertIcon } from './icons';
import classes from './QrScanner.module.css';
import { qrDetector } from './qrDecoder';

type Problem = 'denied' | 'noCamera' | 'failed';

/** How often a frame is looked at while nothing is found (ms). */
const LOOK_EVERY_MS = 150;
/** A code the caller did not want is offered again after this long, if it is still in view. */
const REOFFER_MS = 1500;

export interface QrScannerProps {
  /**
   * Called with each QR code's text as it is read. Return `true` when it is the code wanted: the
   * scanner stops (the camera goes off). Anything else keeps looking (e.g. another kind of code;
   * the caller says so itself).
   */
  onCode: (value: string) => boolean;
  /** The video's accessible name, e.g. "Camera picture". */
  label: string;
  /** What to hold in front of the camera, shown above the picture. */
  hint?: ReactNode;
  /** `large`: the point of sale's scan area, as big as the screen allows. */
  size?: 'normal' | 'large';
  'data-testid'?: string;
}

/**
 * The camera and a QR decoder (qrDecoder.ts: BarcodeDetector where the browser has it, ZXing in
 * WebAssembly otherwise), shared by the point of sale, the member-card scan of the partner
 * portal and the resident's site-code scan. It asks for the back camera, looks at a frame every
 * 150 ms, and hands each code it reads to `onCode`. The camera is off again when the scanner
 * closes (unmounts) or the code was the one wanted, whatever happens.
 */
export function QrScanner({
  onCode,
  label,
  hint,
  size = 'normal',
  'data-testid': testId,
}: QrScannerProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [ready, setReady] = useState(false);
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('', 'NotFoundError');
      // The decoder loads while the camera starts.
      const decoder = qrDetector();
      const media = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
      stream = media;
      if (stopped || !video.current) {
        stop();
        return;
      }
      video.current.srcObject = media;
      await video.current.play().catch(() => undefined);
      const detector = await decoder;
      if (stopped) return;
      setReady(true);
      let last = { value: '', at: 0 };
      const look = async () => {
        if (stopped || !video.current) return;
        try {
          if (video.current.readyState >= 2) {
            const codes = await detector.detect(video.current);
            const value = codes.find((code) => code.rawValue.trim() !== '')?.rawValue.trim();
            // The same unwanted code, seen in frame after frame, is handed over again only
            // after a pause.
            const now = performance.now();
            if (value && !stopped && (value !== last.value || now - last.at > REOFFER_MS)) {
              last = { value, at: now };
              if (found.current(value)) {
                stop();
                return;
              }
            }
          }
        } catch {
          // A frame that is not ready yet: look again.
        }
        timer = window.setTimeout(() => void look(), LOOK_EVERY_MS);
      };
      void look();
    };
    start().catch((error: unknown) => {
      if (stopped) return;
      const name = error instanceof DOMException ? error.name : '';
      setProblem(
        name === 'NotAllowedError' || name === 'SecurityError'
          ? 'denied'
          : name === 'NotFoundError' ||
              name === 'OverconstrainedError' ||
              name === 'NotReadableError'
            ? 'noCamera'
            : 'failed',
      );
      stop();
    });
    return stop;
  }, []);

  if (problem) {
    return (
      <Alert
        role="alert"
        color="red"
        variant="light"
        icon={<AlertIcon />}
        data-testid={testId}
        data-problem={problem}
      >
        <Text>{t(`scanner.${problem}`)}</Text>
      </Alert>
    );
  }
  return (
    <div className={classes.scanner} data-testid={testId} data-ready={ready}>
      {hint && <div className={classes.hint}>{hint}</div>}
      <div className={`${classes.frame} ${size === 'large' ? classes.large : ''}`}>
        <video ref={video} className={classes.video} muted playsInline aria-label={label} />
        <div className={classes.target} aria-hidden="true" />
        {!ready && (
          <div className={classes.starting}>
            <Loader color="white" size="md" aria-hidden="true" />
            <Text c="white" fw={600}>
              {t('scanner.starting')}
            </Text>
          </div>
        )}
      </div>
    </div>
  );
}
