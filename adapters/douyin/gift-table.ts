/**
 * Gift names, diamond values and combo flags by gift id. A GiftMessage's embedded gift struct
 * can be incomplete; the table fills the gaps from the gift list API, and operator overrides
 * (config `gift_names`) win over everything.
 */

/** What the table knows about one gift. */
export interface GiftInfo {
  name?: string;
  /** Value of one gift in diamonds. */
  diamonds?: number;
  /** Whether the gift is sent as a combo (streak). */
  combo?: boolean;
}

/** Gift facts by gift id (a decimal string). */
export class GiftTable {
  #entries = new Map<string, GiftInfo>();
  readonly #overrides: ReadonlyMap<string, string>;

  /** `overrides`: gift id → display name, from config `gift_names`. */
  constructor(overrides: Readonly<Record<string, string>> = {}) {
    this.#overrides = new Map(Object.entries(overrides));
  }

  /** What the gift list said about `giftId`, if anything. */
  get(giftId: string): GiftInfo | undefined {
    return this.#entries.get(giftId);
  }

  /** The operator's name for `giftId`, if configured. */
  override(giftId: string): string | undefined {
    return this.#overrides.get(giftId);
  }

  /** Replaces the table's contents (a fresh gift list); overrides are kept. */
  replace(entries: ReadonlyMap<string, GiftInfo>): void {
    this.#entries = new Map(entries);
  }

  /** How many gifts the gift list described. */
  get size(): number {
    return this.#entries.size;
  }
}

function giftId(g: Record<string, unknown>): string | undefined {
  if (typeof g.id_str === 'string' && /^\d+$/.test(g.id_str)) return g.id_str;
  if (typeof g.id === 'string' && /^\d+$/.test(g.id)) return g.id;
  // A JSON number above 2^53 has already lost digits: skip it rather than key a wrong id.
  if (typeof g.id === 'number' && Number.isSafeInteger(g.id) && g.id >= 0) return String(g.id);
  return undefined;
}

function collectGifts(data: unknown): unknown[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  const out: unknown[] = Array.isArray(d.gifts) ? [...d.gifts] : [];
  if (Array.isArray(d.pages)) {
    for (const page of d.pages) {
      if (page && typeof page === 'object' && Array.isArray((page as Record<string, unknown>).gifts)) {
        out.push(...((page as Record<string, unknown>).gifts as unknown[]));
      }
    }
  }
  return out;
}

/**
 * Parses the gift list API body (`{status_code, data: {gifts: [...]}}`, or gifts grouped in
 * `data.pages[].gifts`). Entries without a usable id are skipped.
 */
export function parseGiftList(body: unknown): Map<string, GiftInfo> {
  const out = new Map<string, GiftInfo>();
  const data = body && typeof body === 'object' ? (body as Record<string, unknown>).data : undefined;
  for (const item of collectGifts(data)) {
    if (!item || typeof item !== 'object') continue;
    const g = item as Record<string, unknown>;
    const id = giftId(g);
    if (!id) continue;
    const info: GiftInfo = {};
    if (typeof g.name === 'string' && g.name) info.name = g.name;
    if (typeof g.diamond_count === 'number' && Number.isSafeInteger(g.diamond_count) && g.diamond_count >= 0)
      info.diamonds = g.diamond_count;
    if (typeof g.combo === 'boolean') info.combo = g.combo;
    out.set(id, info);
  }
  return out;
}
