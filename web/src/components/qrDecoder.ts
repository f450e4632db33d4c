// The decoder is bundled: its WebAssembly file is one of the app's own assets (served from
// 'self', never fetched from a CDN), so scanning works on a till with no internet but the app.
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** A QR code found in a picture (the one field of the Shape Detection API used here). */
export interface DetectedCode {
  rawValue: string;
}

/** What reads QR codes from a video frame: the browser's own BarcodeDetector, or ZXing's. */
export interface QrDetector {
  detect(source: HTMLVideoElement): Promise<DetectedCode[]>;
}

type NativeDetectorClass = {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats?: () => Promise<string[]>;
};

let pending: Promise<QrDetector> | null = null;

/**
 * The QR decoder of this browser, made once: the Shape Detection API's `BarcodeDetector` where
 * it reads QR codes (Chrome on Android, ChromeOS and macOS; Edge), otherwise the
 * `barcode-detector` ponyfill, which runs ZXing-C++ compiled to WebAssembly (Firefox, Safari,
 * Chromium on Linux and Windows). The ponyfill and its wasm (about 1 MB) are only loaded by the
 * browsers that need them, the first time the camera opens.
 */
export function qrDetector(): Promise<QrDetector> {
  pending ??= makeDetector();
  // A failed load (the server unreachable for a moment) is tried again next time.
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

async function makeDetector(): Promise<QrDetector> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native) {
    try {
      const formats = (await Native.getSupportedFormats?.()) ?? [];
      if (formats.includes('qr_code')) return new Native({ formats: ['qr_code'] });
    } catch {
      // Present but not working (no platform decoder): fall back to ZXing.
    }
  }
  const { BarcodeDetector, prepareZXingModule } = await import('barcode-detector/ponyfill');
  await prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.wasm') ? zxingWasmUrl : prefix + path,
    },
    fireImmediately: true,
  });
  return new BarcodeDetector({ formats: ['qr_code'] });
}

/** Whether this browser can open a camera at all (a secure page with getUserMedia). */
export function hasCamera(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function' &&
    (typeof window === 'undefined' || window.isSecureContext !== false)
  );
}
