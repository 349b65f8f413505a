/**
 * The command table: name → summary and a lazy loader of its module (which default-exports a
 * Command). Add a command by adding one line here and one file beside this one.
 */
import type { Command } from '../command.js';

type Loader = () => Promise<{ default: Command }>;

/** Every CLI command by name; modules load only when their command runs. */
export const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  run: { summary: 'run the bridge daemon for one stream config', load: () => import('./run.js') },
  check: { summary: 'validate a config and print it resolved, secrets masked', load: () => import('./check.js') },
  demo: { summary: 'a simulated room through the real pipeline into the local MetaStudio emulator', load: () => import('./demo.js') },
  emulator: {
    summary: 'run the local MetaStudio emulator (report API, job APIs, IAM tokens, live page)',
    load: () => import('./emulator.js'),
  },
  top: { summary: 'a live view of running streams (from their ops servers)', load: () => import('./top.js') },
  record: { summary: 'record the raw frames of one source to a capture file for replay', load: () => import('./record.js') },
  login: {
    summary: 'log into Douyin in a visible browser, keeping the login in a douyin-browser profile',
    load: () => import('./login.js'),
  },
};
