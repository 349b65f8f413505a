/**
 * The room page (live.kuaishou.com/u/<principalId>) keeps its state in a script as JavaScript,
 * not JSON: the `"playList":[…]` array holds literal `undefined`s. This cuts the array out with a
 * bracket scanner that respects strings, turns bare `undefined` into `null`, and reads the
 * anchor's entry (the first; recommended rooms follow it and may be live while the anchor is not).
 */

/** What the page says about the anchor's room. */
export type PageAnswer =
  | { kind: 'live'; liveStreamId: string; title: string }
  | { kind: 'offline'; reason: string }
  | { kind: 'refused'; title: string; detail: string };

const KEY = '"playList"';
const IDENT = /[A-Za-z0-9_$]/;

/** The JSON text of the array that starts at `open` (a `[`), `undefined` made `null`; undefined when unbalanced. */
function cutArray(text: string, open: number): string | undefined {
  let depth = 0;
  let inString = false;
  let out = '';
  let from = open;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) return out + text.slice(from, i + 1);
      if (depth < 0) return undefined;
    } else if (c === 'u' && text.startsWith('undefined', i) && !IDENT.test(text[i - 1] ?? '') && !IDENT.test(text[i + 9] ?? '')) {
      out += `${text.slice(from, i)}null`;
      i += 8;
      from = i + 1;
    }
  }
  return undefined;
}

/** Every `"playList":[…]` array in the page that parses, in page order. */
export function extractPlayLists(html: string): unknown[][] {
  const lists: unknown[][] = [];
  for (let at = html.indexOf(KEY); at >= 0; at = html.indexOf(KEY, at + KEY.length)) {
    const m = /^\s*:\s*\[/.exec(html.slice(at + KEY.length, at + KEY.length + 64));
    if (!m) continue;
    const json = cutArray(html, at + KEY.length + m[0].length - 1);
    if (json === undefined) continue;
    try {
      const value: unknown = JSON.parse(json);
      if (Array.isArray(value)) lists.push(value);
    } catch {
      // Not JSON after all (a script mentioning the key): try the next occurrence.
    }
  }
  return lists;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The anchor's entry: the one whose author is the principalId, else the first (activeIndex 0). */
function anchorEntry(list: unknown[], principalId: string): Record<string, unknown> | undefined {
  const entries = list.map(record).filter((e): e is Record<string, unknown> => e !== undefined);
  // author.id may be the numeric originUserId rather than the principalId: then the first entry it is.
  return entries.find((e) => text(record(e.author)?.id) === principalId) ?? entries[0];
}

/** Reads the anchor's state from the room page; undefined when the page holds no usable playList. */
export function readRoomPage(html: string, principalId: string): PageAnswer | undefined {
  for (const list of extractPlayLists(html)) {
    const entry = anchorEntry(list, principalId);
    if (!entry) continue;
    const refusal = record(entry.errorType);
    if (refusal && text(refusal.title)) return { kind: 'refused', title: text(refusal.title), detail: text(refusal.content) };
    const stream = record(entry.liveStream);
    const id = text(stream?.id);
    if (id && entry.isLiving !== false) {
      const title = text(stream?.caption) || text(record(entry.author)?.name);
      return { kind: 'live', liveStreamId: id, title };
    }
    return { kind: 'offline', reason: 'the streamer is not live (room page)' };
  }
  return undefined;
}
