import type QRCodeModule from 'qrcode';

/** QR codes (member codes, vouchers) as SVG and PNG, black on white, error correction M. */

export const QR_OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

// Loaded on first use: every process (the CLI too) would otherwise pay for it at start.
export const loadQrCode = async (): Promise<typeof QRCodeModule> =>
  (await import('qrcode')).default;

/** The text as an SVG QR code (scalable). */
export async function qrSvg(text: string): Promise<string> {
  return (await loadQrCode()).toString(text, { ...QR_OPTIONS, type: 'svg' });
}

/** The text as a PNG QR code, `scale` pixels per module. */
export async function qrPng(text: string, scale = 8): Promise<Buffer> {
  return (await loadQrCode()).toBuffer(text, { ...QR_OPTIONS, type: 'png', scale });
}
