/**
 * `signer.type: script` — runs an operator-supplied webmssdk file (e.g. webmssdk.es5.js) in a
 * node:vm context with a stubbed browser (window, document, navigator) and calls its
 * `byted_acrawler.frontierSign({"X-MS-STUB": stub})`. node:vm is no security boundary: the
 * script is the operator's own file and is trusted like the config.
 */
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { SignerError, type Signer } from './types.js';

/** A minimal browser surface: enough for the SDK to load and sign, nothing real behind it. */
function browserStubs(userAgent: string): Record<string, unknown> {
  const sandbox: Record<string, unknown> = {};
  const element = () => ({ style: {}, setAttribute() {}, appendChild() {}, getContext: () => null });
  sandbox.navigator = {
    userAgent,
    appVersion: userAgent.replace(/^Mozilla\//, ''),
    platform: 'Win32',
    language: 'zh-CN',
    languages: ['zh-CN', 'zh'],
    cookieEnabled: true,
    webdriver: false,
    plugins: [],
    hardwareConcurrency: 8,
  };
  sandbox.document = {
    cookie: '',
    referrer: '',
    title: '',
    createElement: element,
    getElementById: () => null,
    getElementsByTagName: () => [],
    addEventListener() {},
    documentElement: element(),
    body: element(),
  };
  sandbox.location = {
    href: 'https://live.douyin.com/',
    host: 'live.douyin.com',
    hostname: 'live.douyin.com',
    protocol: 'https:',
    origin: 'https://live.douyin.com',
    pathname: '/',
    search: '',
  };
  sandbox.screen = { width: 1920, height: 1080, availWidth: 1920, availHeight: 1040, colorDepth: 24 };
  sandbox.localStorage = { getItem: () => null, setItem() {}, removeItem() {} };
  sandbox.sessionStorage = sandbox.localStorage;
  sandbox.addEventListener = () => {};
  sandbox.setTimeout = () => 0;
  sandbox.clearTimeout = () => {};
  sandbox.setInterval = () => 0;
  sandbox.clearInterval = () => {};
  sandbox.console = { log() {}, warn() {}, error() {}, info() {}, debug() {} };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  sandbox.top = sandbox;
  sandbox.parent = sandbox;
  return sandbox;
}

/** Signs by calling the operator's webmssdk inside node:vm. */
export class ScriptSigner implements Signer {
  readonly kind = 'script';
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  #context: vm.Context | undefined;

  constructor(options: { path: string; timeoutMs: number; userAgent: string }) {
    this.#path = options.path;
    this.#timeoutMs = options.timeoutMs;
    this.#userAgent = options.userAgent;
  }

  async #load(): Promise<vm.Context> {
    if (this.#context) return this.#context;
    let code: string;
    try {
      code = await readFile(this.#path, 'utf8');
    } catch (err) {
      throw new SignerError(`cannot read signer script ${this.#path}`, { cause: err });
    }
    const context = vm.createContext(browserStubs(this.#userAgent));
    try {
      vm.runInContext(code, context, { filename: this.#path, timeout: this.#timeoutMs });
    } catch (err) {
      throw new SignerError(`signer script ${this.#path} failed to load`, { cause: err });
    }
    this.#context = context;
    return context;
  }

  async sign(stub: string): Promise<string> {
    const context = await this.#load();
    let result: unknown;
    try {
      context.__liveBridgeStub = stub;
      result = vm.runInContext(
        '(window.byted_acrawler || globalThis.byted_acrawler).frontierSign({ "X-MS-STUB": __liveBridgeStub })',
        context,
        { timeout: this.#timeoutMs },
      );
    } catch (err) {
      throw new SignerError('byted_acrawler.frontierSign failed in the signer script', { cause: err });
    }
    const value = result && typeof result === 'object' ? (result as Record<string, unknown>)['X-Bogus'] : undefined;
    if (typeof value !== 'string' || value === '') throw new SignerError('frontierSign returned no X-Bogus value');
    return value;
  }

  close(): void {
    this.#context = undefined;
  }
}
