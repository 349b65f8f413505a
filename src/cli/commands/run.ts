/**
 * `live-bridge run <config>`: the daemon for one stream.
 */
import { loadConfig } from '../../config/load.js';
import type { Command } from '../command.js';
import { runDaemon } from '../daemon.js';

/** `live-bridge run`: the bridge daemon for one stream config. */
const run: Command = {
  usage: 'run <config.yaml>',
  help: `Runs the bridge for one stream until SIGINT or SIGTERM: connects every configured source,
reports their events to MetaStudio, serves /healthz, /readyz and /metrics on http.listen.

On the first SIGINT/SIGTERM it stops the sources, flushes within reporter.shutdown_flush_ms,
spools what is left to state_dir and exits 0; a second signal exits at once.
A bad config exits 78 (supervisors must not restart it). Environment:
  LIVE_BRIDGE_STATE_DIR   overrides state_dir (systemd StateDirectory, containers)`,
  options: {},
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const loaded = await loadConfig(args.positionals[0] as string, io.env, io.registry);
    return runDaemon(loaded, io);
  },
};
export default run;
