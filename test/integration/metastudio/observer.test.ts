/**
 * The emulator's acceptance observer: a long run (the outage bench) counts every accepted event
 * through it while the emulator itself keeps only its newest `keep_events`.
 */
import { expect, it } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator, type AcceptedEvent } from '../../../src/metastudio/emulator/index.js';
import { sampleWire } from '../../helpers/metastudio/fixtures.js';

const TOKEN = 'observer-test-token';
const path = `/v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}/live-event-report`;

it('hands every accepted batch to onAccepted, in order, beyond what keep_events holds; refused ones never', async () => {
  const seen: AcceptedEvent[][] = [];
  const emu = await startEmulator({
    config: { ...demoEmulatorConfig(), tokens: [TOKEN], keep_events: 2 },
    onAccepted: (b) => seen.push([...b]),
  });
  try {
    const wire = sampleWire();
    const post = (events: unknown[], token = TOKEN) =>
      fetch(`${emu.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
        body: JSON.stringify({ total: events.length, events }),
      });
    expect((await post(wire.slice(0, 4))).status).toBe(200);
    expect((await post(wire.slice(4), 'wrong-token')).status).toBe(401);
    expect((await post(wire.slice(4))).status).toBe(200);
    expect(seen.map((b) => b.map((a) => a.event))).toEqual([wire.slice(0, 4), wire.slice(4)]);
    expect(emu.accepted().map((a) => a.event)).toEqual(wire.slice(4));
  } finally {
    await emu.close();
  }
});
