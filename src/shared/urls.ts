/** The public URL without trailing slashes, ready for `${base}/path` links in emails and feeds. */
export function baseUrlOf(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}
