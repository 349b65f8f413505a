/**
 * Multi-stream plumbing: stream configs for one `live-bridge run a.yaml b.yaml ...` process, each
 * with its own fake Douyin room, its own MetaStudio job in the emulator and its own state_dir.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO } from '../../src/metastudio/emulator/index.js';
import { common, msgFrame, user, type MessageSpec } from './douyin/frames.js';
import type { FakeDouyin } from './douyin/fake-douyin.js';
import { ROOM_ID, VIEWER, WEB_RID } from './douyin/scenario.js';

/** The live broadcast every fake room serves. */
export const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'fleet', anchorName: '主播', userUniqueId: '7400000000000000077' };

/** The wire user of VIEWER, as MetaStudio receives it. */
export const VIEWER_WIRE = `{"userId":"${VIEWER.id}","name":"小红🌸Ayşe","level":23,"badge":"红粉","badgeLevel":12}`;

/** Writes `<dir>/<name>.yaml`: stream `name`, one douyin source on `fake`, reporting into `job`. */
export async function writeStreamConfig(
  dir: string,
  name: string,
  options: { fake: FakeDouyin; emulatorUrl: string; job: string },
): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    [
      `stream: ${name}`,
      'sources:',
      '  - platform: douyin',
      `    name: room-${name}`,
      `    room: "https://live.douyin.com/${WEB_RID}"`,
      '    gift_list_refresh_ms: -1',
      '    reconnect_base_ms: 50',
      '    urls:',
      ...Object.entries(options.fake.urls()).map(([k, v]) => `      ${k}: ${String(v)}`),
      'metastudio:',
      `  endpoint: ${options.emulatorUrl}`,
      `  project_id: ${DEMO.projectId}`,
      `  room_id: ${DEMO.roomId}`,
      `  job_id: ${options.job}`,
      '  auth:',
      '    type: aksk',
      '    ak: ${HW_AK}',
      '    sk: ${HW_SK}',
      'reporter:',
      '  flush_interval_ms: 100',
      'http:',
      '  listen: 127.0.0.1:0',
      `state_dir: ${join(dir, 'state', name)}`,
      'log:',
      '  level: info',
      '  format: json',
      '  status_interval_ms: 0',
      '',
    ].join('\n'),
  );
  return file;
}

/** A comment from VIEWER, stamped now. */
export function comment(msgId: string, text: string, t: number): MessageSpec {
  return {
    type: 'ChatMessage',
    msgId,
    fields: { common: common('WebcastChatMessage', msgId, ROOM_ID, t), user: user(VIEWER), content: text },
  };
}

/** Makes `fake` greet each connection with two comments naming the stream and the connection number. */
export function greetEachConnection(fake: FakeDouyin, name: string, sent: { t: number; text: string }[]): void {
  fake.onConnection = (conn) => {
    const n = fake.connections.length;
    const t = Date.now();
    const texts = [`${name} says hi #${n}`, `${name} again #${n}`];
    // Distinct ids per stream and connection (a Douyin msgId is a u64).
    const base = 7_653_887_015_607_000_000n + BigInt(name.charCodeAt(0)) * 1000n + BigInt(n) * 10n;
    conn.send(
      msgFrame({ messages: texts.map((text, i) => comment(String(base + BigInt(i)), text, t)), cursor: `c-${n}`, internalExt: `ie-${n}` }),
    );
    for (const text of texts) sent.push({ t, text });
  };
}

/** What MetaStudio should have accepted for those comments. */
export function expectedComments(sent: readonly { t: number; text: string }[]): { timestamp: number; type: number; content: string }[] {
  return sent.map(({ t, text }) => ({ timestamp: t, type: 1, content: `{"user":${VIEWER_WIRE},"content":"${text}"}` }));
}
