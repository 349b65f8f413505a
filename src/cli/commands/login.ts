/**
 * `live-bridge login douyin --profile <dir>`: the operator logs into Douyin once in a visible
 * browser on the profile a `douyin-browser` source will use; the login is kept in the profile.
 */
import path from 'node:path';
import { EXIT, UsageError } from '../../core/errors.js';
import type { Command } from '../command.js';

/** What to do on a machine without a display. */
export function headlessInstructions(profile: string): string {
  return `This machine has no display (DISPLAY and WAYLAND_DISPLAY are unset), and the login needs a visible
browser to scan Douyin's QR code. Any one of these works:

  1. X11 forwarding: connect with \`ssh -X\` (or -Y) and run this command again; the window opens
     on your desktop.
  2. A virtual display you can see through VNC:
       apt-get install -y xvfb x11vnc
       Xvfb :99 -screen 0 1280x900x24 &
       x11vnc -display :99 -localhost -nopw -forever &
       DISPLAY=:99 live-bridge login douyin --profile ${profile}
     then, from your desktop, \`ssh -L 5900:localhost:5900 <server>\` and open a VNC viewer on
     localhost:5900. Stop Xvfb and x11vnc afterwards.
  3. Log in on a Linux desktop with the same command, then copy the profile directory here
     (stop every browser using it first), e.g.
       rsync -a ~/live-bridge-profile/ <server>:${profile}/
     The bridge starts Chromium with --password-store=basic, so the cookies stay readable on
     another Linux machine. A profile from a desktop Chrome on Windows or macOS cannot be copied:
     its cookies are locked to that machine's keychain.
`;
}

/** `live-bridge login douyin`: logs into Douyin in a visible browser, keeping the login in a profile. */
const login: Command = {
  usage: 'login douyin --profile <dir> [--executable-path <path>] [--url <url>] [--timeout-s <n>]',
  help: `Opens a visible Chromium on https://www.douyin.com/ with the persistent profile <dir>, for you to
log in (scan the QR code with the Douyin app). Once a login cookie (sessionid, sessionid_ss,
sid_tt) appears, the browser is closed cleanly, which saves the cookies, and the login is
recorded in <dir>/live-bridge-login.json (cookie names and expiry, never values) for
\`live-bridge check\`. Closing the window also ends the wait. Exit 0 when logged in, 1 when not.

Use the same directory as the source's profile_dir (default <state_dir>/browser-profile/<source
name>). Stop the bridge first: one profile can be open in only one browser at a time.

Options:
  --profile <dir>           the browser profile directory (created when missing)
  --executable-path <path>  Chromium or Chrome binary (default: found on the system)
  --url <url>               the page to open (default https://www.douyin.com/)
  --timeout-s <n>           give up after n seconds (default 900)

On a server without a display: ssh -X, xvfb-run + VNC, or copy a profile made on a desktop
(run without a display to see the steps).`,
  options: {
    profile: { type: 'string' },
    'executable-path': { type: 'string' },
    url: { type: 'string' },
    'timeout-s': { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    if (args.positionals[0] !== 'douyin')
      throw new UsageError(`unknown platform "${args.positionals[0]}": only douyin has a browser login`);
    const profileArg = args.values.profile;
    if (typeof profileArg !== 'string' || profileArg === '') throw new UsageError('--profile <dir> is required');
    const timeoutArg = args.values['timeout-s'];
    const timeoutS = typeof timeoutArg === 'string' ? Number(timeoutArg) : undefined;
    if (timeoutS !== undefined && !(Number.isInteger(timeoutS) && timeoutS > 0))
      throw new UsageError('--timeout-s must be a positive whole number of seconds');
    const url = typeof args.values.url === 'string' ? args.values.url : undefined;
    if (url !== undefined && !URL.canParse(url)) throw new UsageError(`--url ${url} is not a URL`);
    const profile = path.resolve(profileArg);
    if (process.platform === 'linux' && !io.env.DISPLAY && !io.env.WAYLAND_DISPLAY) {
      io.stderr.write(headlessInstructions(profile));
      return EXIT.crash;
    }
    const { runLogin } = await import('../../../adapters/douyin-browser/login.js');
    const say = (line: string) => io.stdout.write(`${line}\n`);
    say(`opening a browser on profile ${profile}`);
    let result;
    try {
      result = await runLogin(
        {
          profileDir: profile,
          executablePath: typeof args.values['executable-path'] === 'string' ? args.values['executable-path'] : undefined,
          url,
          timeoutMs: timeoutS === undefined ? undefined : timeoutS * 1000,
        },
        { say, signal: io.signal },
      );
    } catch (err) {
      const e = err as Error & { code?: string };
      io.stderr.write(`live-bridge login: ${e.message}\n`);
      return EXIT.crash;
    }
    if (result.loggedIn) {
      say(`saved: logged in (${result.cookies.map((c) => c.name).join(', ')}); set profile_dir: ${profile} on the douyin-browser source`);
      return EXIT.ok;
    }
    io.stderr.write(
      `not logged in (${result.ended === 'closed' ? 'the window was closed' : result.ended === 'timeout' ? 'timed out' : 'stopped'} before a login cookie appeared); run the command again\n`,
    );
    return EXIT.crash;
  },
};
export default login;
