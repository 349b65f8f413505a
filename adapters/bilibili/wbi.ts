/**
 * WBI request signing (required by getDanmuInfo since 2025-05): a 32-character mixin key is
 * picked from the img/sub key stems by a fixed permutation table; a request adds `wts` (Unix
 * seconds), sorts its parameters by key, strips !'()* from values, URL-encodes them and signs
 * with w_rid = md5(query + mixin key).
 */
import { createHash } from 'node:crypto';

/** The fixed permutation of the 64 characters of img_key + sub_key. */
export const MIXIN_KEY_TABLE = [
  46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49, 33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13,
] as const;

/** The file-name stem of a wbi_img URL: `https://i0.hdslb.com/bfs/wbi/<stem>.png` → `<stem>`. */
export function keyStem(url: string): string {
  const file = url.slice(url.lastIndexOf('/') + 1);
  const dot = file.indexOf('.');
  return dot < 0 ? file : file.slice(0, dot);
}

/** The mixin key from nav's `wbi_img.img_url` and `sub_url`. */
export function mixinKey(imgUrl: string, subUrl: string): string {
  const raw = keyStem(imgUrl) + keyStem(subUrl);
  return MIXIN_KEY_TABLE.map((i) => raw[i] ?? '').join('');
}

// encodeURIComponent, as the web client uses it; the characters it leaves alone (!'()*) are
// stripped from values beforehand.
const encode = encodeURIComponent;

/**
 * Signs `params` at `nowMs`: returns the query string to send, including `wts` and `w_rid`.
 * Parameter values are strings (ids never pass through a JS number).
 */
export function signWbi(params: Record<string, string>, key: string, nowMs: number): string {
  const all: Record<string, string> = { ...params, wts: String(Math.floor(nowMs / 1000)) };
  const query = Object.keys(all)
    .sort()
    .map((k) => `${encode(k)}=${encode((all[k] ?? '').replace(/[!'()*]/g, ''))}`)
    .join('&');
  const wRid = createHash('md5')
    .update(query + key)
    .digest('hex');
  return `${query}&w_rid=${wRid}`;
}
