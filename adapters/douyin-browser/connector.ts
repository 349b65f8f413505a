/**
 * douyin-browser's steps for the kit's lifecycle: there is nothing to resolve (the page finds the
 * room itself); a session is one browser run: launch Chromium on the persistent profile, run the
 * room tab, decode what it captures with the Douyin adapter's codec and mapping, close the
 * browser. A browser that goes away is a `crashed` session, relaunched with full-jitter backoff.
 * playwright-core is loaded only when a browser is launched.
 */
import type { BrowserContext } from 'playwright-core';
import type { Connector, Resolution } from '../kit/lifecycle.js';
import type { KitDeps } from '../kit/plugin.js';
import type { SessionResult } from '../kit/session.js';
import type { SourceShell } from '../kit/shell.js';
import { GiftTable } from '../douyin/gift-table.js';
import { CaptureDecoder, type CaptureResult } from './capture.js';
import { DOUYIN_BROWSER_DEFAULTS, type DouyinBrowserSourceConfig } from './config.js';
import { findExecutable, launchContext, loadPlaywright, runningAsRoot, type PlaywrightModule } from './launch.js';
import { hasLogin, loginCookies, profileDirFor, writeLoginMarker } from './profile.js';
import { runTab, type TabListener } from './tab.js';

/** What the browser source takes besides the kit's dependencies. */
export interface DouyinBrowserDeps extends KitDeps {
  /** Loads playwright-core (the lazy boundary; tests may observe it). */
  loadPlaywright?: () => Promise<PlaywrightModule>;
  /** Whether the process runs as root (decides the sandbox default). */
  isRoot?: boolean;
}

/** Follows one Douyin room through a browser tab. */
export class BrowserConnector implements Connector<string> {
  /** The persistent profile directory this source launches Chromium on. */
  readonly profileDir: string;
  readonly #config: DouyinBrowserSourceConfig;
  readonly #shell: SourceShell;
  readonly #deps: DouyinBrowserDeps;
  readonly #giftTable: GiftTable;
  readonly #decoder: CaptureDecoder;
  #warnedAnonymous = false;

  constructor(config: DouyinBrowserSourceConfig, shell: SourceShell, deps: DouyinBrowserDeps) {
    this.#config = config;
    this.#shell = shell;
    this.#deps = deps;
    this.profileDir = profileDirFor(config, deps.stateDir, shell.name);
    this.#giftTable = new GiftTable(config.gift_names);
    this.#decoder = new CaptureDecoder({
      ctx: { source: shell.name, giftTable: this.#giftTable, now: () => shell.clock.now() },
      discards: shell.discards,
      dedupeSize: config.dedupe_size,
    });
  }

  /** The room page of the web_rid (the page resolves the broadcast itself). */
  async resolve(): Promise<Resolution<string>> {
    return { kind: 'live', target: this.#config.urls.room_page.replaceAll('{web_rid}', this.#shell.room) };
  }

  /** One browser run; a launch failure throws (an `error` state with its code, then a backoff). */
  async connect(roomUrl: string, signal: AbortSignal): Promise<SessionResult> {
    const context = await this.#launch();
    const { end, traffic } = await runTab(
      {
        context,
        roomUrl,
        config: this.#config,
        clock: this.#shell.clock,
        logger: this.#shell.logger,
        giftTable: this.#giftTable,
        listener: this.#listener(),
      },
      signal,
    );
    await context.close().catch(() => undefined);
    const healthy = traffic > 0;
    if (end.kind === 'aborted') return { end, healthy, frames: traffic };
    return { end: { kind: 'crashed', reason: end.reason, code: 'browser_crashed' }, healthy, frames: traffic };
  }

  async #launch(): Promise<BrowserContext> {
    const executablePath = findExecutable(this.#config.executable_path);
    const sandbox = this.#config.sandbox ?? !(this.#deps.isRoot ?? runningAsRoot());
    this.#shell.logger.info('starting the browser', {
      executable: executablePath,
      profile: this.profileDir,
      headless: this.#config.headless,
    });
    return launchContext(
      {
        executablePath,
        profileDir: this.profileDir,
        headless: this.#config.headless,
        sandbox,
        userAgent: this.#config.user_agent,
        extraArgs: this.#config.extra_args,
        timeoutMs: this.#config.launch_timeout_ms,
        viewport: DOUYIN_BROWSER_DEFAULTS.viewport,
      },
      this.#deps.loadPlaywright ?? loadPlaywright,
    );
  }

  #deliver(result: CaptureResult): void {
    const shell = this.#shell;
    const state = () => shell.state.state;
    if (result.events.length > 0 && state() !== 'live' && state() !== 'ended') shell.setState({ state: 'live' });
    for (const event of result.events) shell.event(event);
    if (result.liveEnded && state() !== 'ended') {
      shell.logger.info('broadcast ended');
      shell.setState({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
    }
  }

  #listener(): TabListener {
    const shell = this.#shell;
    return {
      pushOpened: (roomId) => {
        if (shell.state.state !== 'live') shell.setState(roomId ? { state: 'live', roomId } : { state: 'live' });
      },
      pushFrame: (bytes) => {
        shell.record({ type: 'binary', bytes });
        this.#deliver(this.#decoder.pushFrame(bytes));
      },
      fetchBody: (bytes) => this.#deliver(this.#decoder.fetchBody(bytes)),
      textFrame: (text) => {
        shell.record({ type: 'text', text });
        shell.discard('text_frame', text);
      },
      reloading: (idleMs) => {
        const ended = shell.state.state === 'ended';
        shell.logger.info(ended ? 'reloading the ended room to catch the next broadcast' : 'no push traffic; reloading the room page', {
          idleMs,
        });
        shell.reconnect(ended ? 'new_broadcast' : 'stall');
        if (!ended) shell.setState({ state: 'connecting', reason: `no push traffic for ${idleMs} ms; reloading the page` });
      },
      pageProblem: (state, reason) => {
        shell.logger.warn('room page problem', { state, reason });
        shell.setState({ state, reason });
      },
      loaded: (context) => void this.#checkLogin(context),
    };
  }

  /** Records whether the profile is logged in (for `check`) and warns once when it is not. */
  async #checkLogin(context: BrowserContext): Promise<void> {
    try {
      const cookies = loginCookies(await context.cookies());
      await writeLoginMarker(this.profileDir, 'source', cookies, this.#shell.clock.now());
      if (!hasLogin(cookies, this.#shell.clock.now()) && !this.#warnedAnonymous) {
        this.#warnedAnonymous = true;
        this.#shell.logger.warn(
          `browser profile has no Douyin login: gifts are withheld and nicknames masked; run live-bridge login douyin --profile ${this.profileDir}`,
        );
      }
    } catch (err) {
      this.#shell.logger.debug('could not read the profile cookies', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
