/**
 * `live-bridge emulator`: runs the local MetaStudio emulator until stopped, for rehearsals and
 * demos. Without --config it runs the built-in demo world (the ids and key pair of
 * config/demo.yaml).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { EXIT } from '../../core/errors.js';
import { substituteEnv } from '../../config/env.js';
import type { Command } from '../command.js';

/** Substitutes ${VAR} in every string scalar of a parsed YAML document. */
function substituteDeep(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return substituteEnv(value, env).value;
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, env)]));
  }
  return value;
}

/** `live-bridge emulator`: the local MetaStudio emulator as a standalone server. */
const emulator: Command = {
  usage: 'emulator [--port N] [--host H] [--config emulator.yaml]',
  help: `Starts a local HTTP server that behaves like MetaStudio's live-event-report API, ShowSmartLive,
ListSmartLive and IAM's token endpoint for the rooms and jobs of its config. It checks AK/SK
signatures, tokens and pre-signed report URLs, validates bodies as the API does, and shows what it
accepted on a live page at its address (events with their wire type and latency, counts per
type, job states, refused requests with their error codes). Control routes: GET /_emulator/events,
GET /_emulator/requests, GET /_emulator/page (the page's data), POST /_emulator/jobs/{job_id}/state {"state":"SUCCEED"},
POST /_emulator/rooms/{room_id}/jobs {"job_id":"..."}, POST /_emulator/faults [...].

Options:
  --port N        port to listen on (default 9470; 0 = any free port)
  --host H        address to bind (default 127.0.0.1)
  --config FILE   emulator config (see config/emulator/rehearsal.yaml); default: the built-in demo world`,
  options: { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const port = args.values.port === undefined ? 9470 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`live-bridge emulator: --port must be 0..65535, got "${String(args.values.port)}"\n`);
      return EXIT.usage;
    }
    const { EmulatorConfigSchema, demoEmulatorConfig, startEmulator } = await import('../../metastudio/emulator/index.js');
    let config = demoEmulatorConfig();
    const file = args.values.config;
    if (typeof file === 'string') {
      try {
        const parsed = EmulatorConfigSchema.safeParse(substituteDeep(parse(await readFile(file, 'utf8')), io.env));
        if (!parsed.success) {
          io.stderr.write(`${file}: invalid emulator config\n${z.prettifyError(parsed.error)}\n`);
          return EXIT.config;
        }
        config = parsed.data;
      } catch (err) {
        io.stderr.write(`${file}: ${(err as Error).message}\n`);
        return EXIT.config;
      }
    }
    const host = typeof args.values.host === 'string' ? args.values.host : '127.0.0.1';
    const emu = await startEmulator({ host, port, config });
    io.stdout.write(`MetaStudio emulator listening on ${emu.url}\n`);
    io.stdout.write(
      `project ${config.project_id}; rooms ${config.rooms.map((r) => `${r.room_id} [${r.jobs.map((j) => `${j.job_id}:${j.state}`).join(', ')}]`).join('; ')}\n`,
    );
    io.stdout.write(`live page: ${emu.url}/   events: ${emu.url}/_emulator/events\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await emu.close();
    io.stdout.write(`emulator stopped; it accepted ${emu.accepted().length} events\n`);
    return EXIT.ok;
  },
};
export default emulator;
