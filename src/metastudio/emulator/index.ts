/**
 * The local MetaStudio emulator: a real HTTP server that speaks the live-event-report contract
 * (plus ShowSmartLive, ListSmartLive and IAM tokens), checks credentials and bodies as the API
 * does, can be scripted to fail, and shows what it accepted on a live page.
 */
import { systemClock } from '../../core/clock.js';
import { mintReportUrl } from './api.js';
import { EmulatorConfigSchema } from './config.js';
import { createEmulatorServer, listen } from './server.js';
import type { Emulator, StartEmulatorOptions } from './types.js';
import { World } from './world.js';

export { DEMO, demoEmulatorConfig, EmulatorConfigSchema, FaultSchema, JOB_STATES } from './config.js';
export type { EmulatorConfig, EmulatorConfigInput, Fault, FaultInput, JobState, Operation } from './config.js';
export type { AcceptedEvent, AuthKind, Emulator, RequestLog, StartEmulatorOptions } from './types.js';

const DEFAULTS = { host: '127.0.0.1', port: 0 } as const;

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions): Promise<Emulator> {
  const config = EmulatorConfigSchema.parse(options.config);
  const world = new World(config, options.clock ?? systemClock, options.onAccepted);
  let url = '';
  const server = createEmulatorServer(world, options.logger, () => url);
  const address = await listen(server, options.host ?? DEFAULTS.host, options.port ?? DEFAULTS.port);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    accepted: () => world.accepted(),
    requests: () => world.requests(),
    setJobState: (roomId, jobId, state) => world.setJobState(roomId, jobId, state),
    addJob: (roomId, jobId, state) => world.addJob(roomId, jobId, state),
    script: (faults) => world.script(faults),
    pendingFaults: () => world.pendingFaults(),
    outage: (fault) => world.setOutage(fault),
    mintReportUrl: (roomId, jobId, o) =>
      mintReportUrl(world, o?.base ?? config.report_url.public_base ?? url, roomId, jobId, o?.ttlMs ?? config.report_url.ttl_ms),
    revokeTokens: () => world.tokens.clear(),
    addToken: (token) => world.tokens.set(token, Infinity),
    issuedSecrets: () => [...world.issued],
  };
}
