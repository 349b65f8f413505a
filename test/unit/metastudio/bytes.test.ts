import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportBody } from '../../../src/metastudio/client.js';
import { BODY_OVERHEAD_BYTES, serialisedBytes, toWireEvent, wireEncoder } from '../../../src/metastudio/wire.js';

import { comment, gift, user } from '../../helpers/reporter/events.js';

describe('serialisedBytes', () => {
  it('equals the UTF-8 size of JSON.stringify(wire) for hostile strings', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u2028', '字', '😀', '\ud800', '\udfff', '</script>'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4_102_415_999_000 }), (name, body, ts) => {
        for (const event of [
          comment({ id: '1', ts, text: body, user: user('u', 3, name) }),
          gift({ id: '2', ts, user: user('u', 3, name) }),
        ]) {
          const wire = toWireEvent(event);
          expect(serialisedBytes(wire)).toBe(Buffer.byteLength(JSON.stringify(wire)));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the encoder and the report body', () => {
  it('serialise each event once, and the body is exactly JSON.stringify of { total, events, review_config }', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u2028', '字', '😀', '\ud800', '\udfff', '</script>'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, fc.integer({ min: 0, max: 4_102_415_999_000 })), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(undefined, true, false),
        (rows, noNeedReview) => {
          const events = rows.flatMap(([name, body, ts], i) => [
            comment({ id: `c${i}`, ts, text: body, user: user('u', 3, name) }),
            gift({ id: `g${i}`, ts, user: user('u', 3, name) }),
          ]);
          const encoded = events.map((e) => wireEncoder.encode(e));
          const plain = events.map(toWireEvent);
          // What a sink or a test reads is the plain wire event.
          expect(encoded).toEqual(plain);
          expect(encoded.map((w) => JSON.stringify(w))).toEqual(plain.map((w) => JSON.stringify(w)));
          for (const w of encoded) expect(wireEncoder.bytes(w)).toBe(Buffer.byteLength(JSON.stringify(w)) + 1);
          const expected = JSON.stringify({
            total: plain.length,
            events: plain,
            ...(noNeedReview === undefined ? {} : { review_config: { no_need_review: noNeedReview } }),
          });
          expect(reportBody(encoded, noNeedReview)).toBe(expected);
          // Plain wire events (not from the encoder) serialise the same way.
          expect(reportBody(plain, noNeedReview)).toBe(expected);
          expect(Buffer.byteLength(expected)).toBeLessThanOrEqual(
            BODY_OVERHEAD_BYTES + encoded.reduce((sum, w) => sum + wireEncoder.bytes(w), 0),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
