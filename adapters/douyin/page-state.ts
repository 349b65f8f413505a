/**
 * Reads the room out of the live page's embedded Next.js RSC stream (`self.__pace_f.push`),
 * whose JSON is escaped several times over. Structured first (roomStore / userStore objects),
 * then fallback markers when Douyin moves things around; ids are only ever kept as digit strings.
 */

/** What the page tells about the room. Absent fields were not found. */
export interface PageState {
  roomId?: string;
  userUniqueId?: string;
  /** Room status (2 = live; 4 = ended). */
  status?: number;
  title?: string;
  anchorName?: string;
  /** The page has an anchor but no room: the account exists and is offline. */
  anchorWithoutRoom?: boolean;
}

const DEFAULTS = { maxUnescapeLayers: 6 } as const;

const ID_RE = /^\d{10,20}$/;

/** Removes one layer of JS-string escaping (\" \\ \/ \uXXXX \n ...). */
function unescapeOnce(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_m, esc: string) => {
    if (esc[0] === 'u') return String.fromCharCode(parseInt(esc.slice(1), 16));
    switch (esc) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return esc;
    }
  });
}

/** The page text at each escaping depth, shallowest first, until no escaped quote is left. */
function layers(html: string): string[] {
  const out = [html];
  let current = html;
  for (let i = 0; i < DEFAULTS.maxUnescapeLayers && current.includes('\\"'); i++) {
    current = unescapeOnce(current);
    out.push(current);
  }
  return out;
}

/** The balanced `{...}` starting at or after `from`, parsed; undefined when it is not JSON. */
function objectAfter(text: string, from: number): Record<string, unknown> | undefined {
  const start = text.indexOf('{', from);
  if (start < 0 || start - from > 4) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        const value: unknown = JSON.parse(text.slice(start, i + 1));
        return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && ID_RE.test(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;

function fromRoomStore(store: Record<string, unknown>, into: PageState): void {
  const info = obj(store.roomInfo);
  if (!info) return;
  const room = obj(info.room);
  const anchor = obj(info.anchor) ?? obj(room?.owner);
  into.roomId ??= idOf(info.roomId) ?? idOf(room?.id_str);
  into.status ??= num(room?.status);
  into.title ??= str(room?.title);
  into.anchorName ??= str(anchor?.nickname);
  if (!room && anchor) into.anchorWithoutRoom = true;
}

/** Fallback markers, in order of trust; only runs of at least 10 digits count as ids. */
const ROOM_MARKERS = [
  /"roomId":"(\d{10,20})"/,
  /"id_str":"(\d{10,20})"/,
  /"room_id_str":"(\d{10,20})"/,
  /"room_id":"?(\d{10,20})/,
  /room_id=(\d{10,20})/,
  /"web_stream_room_id":"?(\d{10,20})/,
];
const UID_MARKERS = [/"user_unique_id":"?(\d{10,20})/, /user_unique_id=(\d{10,20})/];

/** Parses the live page HTML. Returns an empty object when the page holds no room state (risk page). */
export function parseLivePage(html: string): PageState {
  const state: PageState = {};
  const all = layers(html);
  for (const text of all) {
    const rs = text.indexOf('"roomStore":');
    if (rs >= 0) {
      const store = objectAfter(text, rs + '"roomStore":'.length);
      if (store) fromRoomStore(store, state);
    }
    const odin = text.indexOf('"odin":');
    if (odin >= 0 && !state.userUniqueId) state.userUniqueId = idOf(objectAfter(text, odin + '"odin":'.length)?.user_unique_id);
  }
  const deepest = all[all.length - 1]!;
  for (const re of ROOM_MARKERS) {
    if (state.roomId || state.anchorWithoutRoom) break;
    state.roomId = re.exec(deepest)?.[1];
  }
  for (const re of UID_MARKERS) {
    if (state.userUniqueId) break;
    state.userUniqueId = re.exec(deepest)?.[1];
  }
  if (state.status === undefined && state.roomId) {
    const m = /"status":(\d)\b/.exec(
      deepest.slice(Math.max(0, deepest.indexOf(state.roomId) - 2000), deepest.indexOf(state.roomId) + 4000),
    );
    if (m) state.status = Number(m[1]);
  }
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as PageState;
}

export { webRidFrom } from './config.js';
