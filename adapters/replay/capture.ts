/**
 * The capture format shared by `live-bridge record` and the replay source: JSON lines, one raw
 * binary frame per line, `{"t": ms since the first frame, "b64": the frame in base64}`.
 */

/** One captured frame. */
export interface CaptureLine {
  t: number;
  b64: string;
}

/** Serialises one frame as a capture line (with its newline). */
export function captureLine(t: number, bytes: Uint8Array): string {
  return `${JSON.stringify({ t, b64: Buffer.from(bytes).toString('base64') })}\n`;
}

/** Parses one capture line; undefined when it is not one. */
export function parseCaptureLine(line: string): { t: number; bytes: Buffer } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { t, b64 } = value as Partial<CaptureLine>;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
    return undefined;
  return { t, bytes: Buffer.from(b64, 'base64') };
}
