/**
 * `live-bridge run <config> [<config> ...] [--config-dir dir]`: the daemon for one stream, or
 * for many streams in one process (each isolated: its own sources, pipeline, reporter, spool,
 * state_dir and job), reloaded on SIGHUP.
 */
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { listStreamFiles, loadStreams } from '../../fleet/load.js';
import type { Command } from '../command.js';
import { runStreams } from '../daemon.js';

/** `live-bridge run`: the bridge daemon for one stream config, or several. */
const run: Command = {
  usage: 'run <config.yaml> [<config.yaml> ...] | run --config-dir <dir>',
  help: `Runs the bridge until SIGINT or SIGTERM: connects every configured source, reports their
events to MetaStudio, serves /healthz, /readyz, /metrics and /status on http.listen.

With one file it runs that stream, as one process per stream under pm2, systemd or Kubernetes.
With several files, or --config-dir, it runs every stream in this one process, each with its own
sources, pipeline, reporter, spool, state_dir and MetaStudio job; one ops server covers them all
(every series carries a \`stream\` label; /readyz and /status list each stream). A file that is
invalid is refused with one line naming it and the others run; none valid exits 78. http, log
format and pacing are the process's: the first file's are used (others differing are warned).

SIGHUP reloads: the files are read again (the directory listed again); new streams start, streams
whose file is gone stop, streams whose config changed restart, the others are not touched. A file
that became invalid keeps its stream on the config it had.

On the first SIGINT/SIGTERM every stream stops its sources, flushes within
reporter.shutdown_flush_ms, spools what is left to its state_dir and the process exits 0; a
second signal exits at once. A bad config exits 78 (supervisors must not restart it).

Options:
  --config-dir <dir>  every *.yaml / *.yml in dir (not example.*, emulator*, demo.yaml, dotfiles)
  --listen host:port  the ops server's address, instead of the first file's http.listen
Environment:
  LIVE_BRIDGE_STATE_DIR   one stream: its state_dir; several: the root, each stream in <root>/<stream>`,
  options: { 'config-dir': { type: 'string' }, listen: { type: 'string' } },
  positionals: { min: 0, max: Infinity },
  async run(args, io) {
    const dir = args.values['config-dir'] as string | undefined;
    const listen = args.values.listen as string | undefined;
    if (args.positionals.length === 0 && dir === undefined) throw new UsageError('expected a config file (or --config-dir <dir>)');
    const single = args.positionals.length === 1 && dir === undefined;
    const stateDir = io.env.LIVE_BRIDGE_STATE_DIR || undefined;
    const load = async () => {
      const files = await listStreamFiles({ files: args.positionals, dir });
      const loaded = await loadStreams(files, { env: io.env, registry: io.registry, ...(single ? {} : { stateRoot: stateDir }) });
      // systemd's StateDirectory= and containers point the one stream's spool elsewhere without editing the file.
      if (single && stateDir !== undefined) for (const s of loaded.streams) s.config = { ...s.config, state_dir: path.resolve(stateDir) };
      return loaded;
    };
    return runStreams({ mode: single ? 'single' : 'fleet', load, reloadable: true, listen }, io);
  },
};
export default run;
