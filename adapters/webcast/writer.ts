/**
 * A small protobuf writer for the frames a webcast client sends (ack, hb, im_enter_room) and for
 * nothing on the receive path. u64 values are given as decimal strings (ids never pass through a
 * JS number).
 */

/** Builds one message; fields are written in the order they are added. */
export class Writer {
  readonly #bytes: number[] = [];

  #varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
  }

  #tag(field: number, wireType: number): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  /** A u64 (or int64) from a decimal string or a safe integer; zero is omitted (proto3 default). */
  u64(field: number, value: string | number): this {
    const v = BigInt(value);
    if (v !== 0n) {
      this.#tag(field, 0);
      this.#varint(v);
    }
    return this;
  }

  bool(field: number, value: boolean): this {
    if (value) {
      this.#tag(field, 0);
      this.#bytes.push(1);
    }
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length > 0) {
      this.#tag(field, 2);
      this.#varint(BigInt(value.length));
      for (const b of value) this.#bytes.push(b);
    }
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** A sub-message (written even when empty, as repeated entries need). */
  message(field: number, inner: Writer): this {
    const body = inner.finish();
    this.#tag(field, 2);
    this.#varint(BigInt(body.length));
    for (const b of body) this.#bytes.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.#bytes);
  }
}
