import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serialisedBytes, toWireEvent } from '../../../src/metastudio/wire.js';

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
