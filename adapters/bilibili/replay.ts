/**
 * Replaying recorded danmaku frames (both modes): the frame is split into packets and commands as
 * live, each command mapped by the mode's route table; PREPARING / LIVE_END is the recorded end
 * of the broadcast. Auth replies and heartbeats are part of the recording and mean nothing here.
 */
import type { RawFrame } from '../kit/capture.js';
import type { DecodedFrame, ReplayContext } from '../kit/plugin.js';
import type { BridgeEvent } from '../../src/core/events.js';
import { decodeFrame } from './frame.js';
import type { Obj } from './json.js';
import type { MapResult } from './mapping-common.js';

/** A decoder of recorded frames for one mode's mapping. */
export function danmakuReplay(ctx: ReplayContext, map: (cmd: Obj) => MapResult): (frame: RawFrame) => DecodedFrame {
  return (frame) => {
    if (frame.type === 'text') {
      ctx.discards.report('text_frame', Buffer.from(frame.text.slice(0, 512), 'utf8'));
      return { events: [] };
    }
    const events: BridgeEvent[] = [];
    let ended: string | undefined;
    decodeFrame(frame.bytes, {
      authReply: () => undefined,
      problem: (reason, sample, error) => ctx.discards.report(reason, sample, error),
      command: (cmd) => {
        const result = map(cmd);
        if (result.problem) ctx.discards.report(result.problem, Buffer.from(JSON.stringify(cmd).slice(0, 512), 'utf8'));
        events.push(...result.events);
        if (result.status?.state === 'offline') ended = `the capture recorded the end of the broadcast: ${result.status.reason}`;
      },
    });
    return ended === undefined ? { events } : { events, ended };
  };
}
