/**
 * Raw frames as a session receives them, and the capture format `live-bridge record` writes and
 * the replay source reads: JSON lines, one frame per line,
 * `{"t": ms since the first frame, "platform": "douyin", "b64": binary frame}` or, for a text
 * frame (Twitch's IRC lines), `{"t", "platform", "text"}`. Lines without `platform` come from
 * the first recorder, which knew only Douyin, and are read as Douyin.
 */

/** One message as the wire delivered it. */
export type RawFrame = { type: 'binary'; bytes: Buffer } | { type: 'text'; text: string };

/** Receives every raw frame a session reads (the recorder). */
export type FrameRecorder = (platform: string, frame: RawFrame) => void;

/** One captured frame, parsed. */
export interface CapturedFrame {
  t: number;
  platform: string;
  frame: RawFrame;
}

/** The platform of capture lines that name none (the Douyin-only recorder's). */
export const LEGACY_CAPTURE_PLATFORM = 'douyin';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PLATFORM = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Serialises one frame as a capture line (with its newline). */
export function captureLine(t: number, platform: string, frame: RawFrame): string {
  const body = frame.type === 'binary' ? { b64: frame.bytes.toString('base64') } : { text: frame.text };
  return `${JSON.stringify({ t, platform, ...body })}\n`;
}

/** Parses one capture line; undefined when it is not one. */
export function parseCaptureLine(line: string): CapturedFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { t, platform = LEGACY_CAPTURE_PLATFORM, b64, text } = value as Record<string, unknown>;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return undefined;
  if (typeof platform !== 'string' || !PLATFORM.test(platform)) return undefined;
  if (typeof b64 === 'string' && text === undefined && BASE64.test(b64))
    return { t, platform, frame: { type: 'binary', bytes: Buffer.from(b64, 'base64') } };
  if (typeof text === 'string' && b64 === undefined) return { t, platform, frame: { type: 'text', text } };
  return undefined;
}
