/**
 * What a Kuaishou gift is called and what one is worth. Names come from `allgifts` (id →
 * giftName, refreshed), values from the room's `gift-list` (unitPrice, per broadcast); the
 * operator's `gift_names` and `gift_values` win over both. allgifts has no prices, so a gift
 * the room list does not price and the operator did not either is worth 0: the caller counts it.
 */

/** One gift's price, or none known. */
export type GiftValue = { priced: true; value: number } | { priced: false };

/** Names and unit values by gift id (a decimal string). */
export class GiftCatalog {
  #names = new Map<string, string>();
  #prices = new Map<string, number>();
  readonly #nameOverrides: ReadonlyMap<string, string>;
  readonly #valueOverrides: ReadonlyMap<string, number>;

  constructor(overrides: { names?: Readonly<Record<string, string>>; values?: Readonly<Record<string, number>> } = {}) {
    this.#nameOverrides = new Map(Object.entries(overrides.names ?? {}));
    this.#valueOverrides = new Map(Object.entries(overrides.values ?? {}));
  }

  /** The display name: the operator's, else allgifts', else `礼物<id>`. */
  name(giftId: string): string {
    return this.#nameOverrides.get(giftId) ?? this.#names.get(giftId) ?? `礼物${giftId}`;
  }

  /** The value of one gift: the operator's table, else the room's unitPrice. */
  value(giftId: string): GiftValue {
    const value = this.#valueOverrides.get(giftId) ?? this.#prices.get(giftId);
    return value === undefined ? { priced: false } : { priced: true, value };
  }

  /** Replaces the names (a fresh allgifts). */
  replaceNames(names: ReadonlyMap<string, string>): void {
    this.#names = new Map(names);
  }

  /** Replaces the room's prices (a fresh gift-list for a new broadcast). */
  replacePrices(prices: ReadonlyMap<string, number>): void {
    this.#prices = new Map(prices);
  }

  get names(): number {
    return this.#names.size;
  }

  get prices(): number {
    return this.#prices.size;
  }
}
