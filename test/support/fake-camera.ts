import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

/**
 * A video file for Chromium's fake camera (`--use-file-for-fake-video-capture=<file>.y4m`)
 * that shows one picture, such as a voucher's QR code PNG, centred on white: YUV4MPEG2, 4:2:0,
 * a few identical frames (Chromium plays the file in a loop). The picture is scaled by whole
 * pixels (nearest neighbour) to fill most of the frame, so the QR modules stay sharp.
 */
export async function writeFakeCameraFile(
  path: string,
  png: Buffer,
  { width = 640, height = 480, frames = 5 } = {},
): Promise<void> {
  const image = PNG.sync.read(png);
  const scale = Math.max(
    1,
    Math.floor(Math.min((width * 0.9) / image.width, (height * 0.9) / image.height)),
  );
  const drawnWidth = image.width * scale;
  const drawnHeight = image.height * scale;
  const left = Math.floor((width - drawnWidth) / 2);
  const top = Math.floor((height - drawnHeight) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < drawnHeight; y++) {
    for (let x = 0; x < drawnWidth; x++) {
      const i = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      const alpha = image.data[i + 3]! / 255;
      const gray =
        (0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!) * alpha +
        255 * (1 - alpha);
      // BT.601 studio range: black 16, white 235.
      luma[(top + y) * width + left + x] = Math.round(16 + (gray / 255) * 219);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

/** Chromium switches for a fake camera that shows `file` and needs no permission prompt. */
export function fakeCameraArgs(file?: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    ...(file ? [`--use-file-for-fake-video-capture=${file}`] : []),
  ];
}
