/**
 * Mapping as a route table: each platform maps a message's method (Douyin's
 * `WebcastChatMessage`, Bilibili's `DANMU_MSG`) to one `{ decode, map }` entry, instead of a
 * switch and parallel lists. The lookup only sees the table's own keys, so a hostile method such
 * as `constructor` or `__proto__` finds nothing.
 */

/** One entry: how to decode a message's payload and what it maps to. */
export interface Route<Message, Raw, Context, Out> {
  decode(message: Message): Raw;
  map(raw: Raw, ctx: Context, message: Message): Out;
}

/** The route for `method`, from the table's own keys only. */
export function routeFor<T extends Readonly<Record<string, unknown>>>(table: T, method: string): T[keyof T] | undefined {
  return Object.hasOwn(table, method) ? (table[method as keyof T] as T[keyof T]) : undefined;
}
