import QRCode from 'qrcode';
import { useMemo } from 'react';

/** The quiet zone around the code, in modules (4 is what the QR standard asks for). */
const QUIET = 4;

/**
 * `value` as a QR code (error correction M, as the API's own QR images), drawn here as an SVG
 * so that it needs no network: a voucher opened once still shows its code offline.
 */
export function QrCode({
  value,
  label,
  className,
  testId,
}: {
  value: string;
  label: string;
  className?: string;
  testId?: string;
}) {
  const { path, size } = useMemo(() => {
    const modules = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      // One rectangle per run of dark modules in a row.
      for (let col = 0; col < modules.size; col++) {
        if (!modules.get(row, col)) continue;
        let run = 1;
        while (col + run < modules.size && modules.get(row, col + run)) run++;
        d += `M${col + QUIET} ${row + QUIET}h${run}v1h-${run}z`;
        col += run - 1;
      }
    }
    return { path: d, size: modules.size + 2 * QUIET };
  }, [value]);
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
      className={className}
      data-testid={testId}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
