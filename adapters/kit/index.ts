/**
 * The adapter kit: everything a platform builds its source from. A platform imports from here
 * only; see docs/platforms/adding-a-platform.md.
 */
export {
  captureLine,
  parseCaptureLine,
  LEGACY_CAPTURE_PLATFORM,
  type CapturedFrame,
  type FrameRecorder,
  type RawFrame,
} from './capture.js';
export { DiscardReporter } from '../common/discard.js';
export {
  follow,
  followingSource,
  probeConnector,
  type ConnectAttempt,
  type Connector,
  type LifecyclePolicy,
  type Resolution,
} from './lifecycle.js';
export {
  definePlugin,
  sourceIdentity,
  type CheckContext,
  type DecodedFrame,
  type KitDeps,
  type PluginLookup,
  type PluginModule,
  type ProbeResult,
  type ReplayContext,
  type ReplaySupport,
  type SourceConfigBase,
  type SourceIdentity,
  type SourceNaming,
  type SourcePlugin,
} from './plugin.js';
export { runPollSession, WindowBudget, type PollAnswer, type PollBudget, type PollSessionOptions } from './poll-session.js';
export { routeFor, type Route } from './routes.js';
export type { SessionEnd, SessionResult, SessionStop } from './session.js';
export { SourceAlreadyStartedError, SourceShell, type ShellOptions, type SourceBody } from './shell.js';
export { defaultSocketFactory, type SocketFactory, type SocketOpenOptions } from './socket.js';
export {
  CLOSE_NORMAL,
  openSocketSession,
  runSocketSession,
  type Headers1,
  type SocketIO,
  type SocketProtocol,
  type SocketSession,
  type SocketSessionOptions,
} from './socket-session.js';
export * from './vocabulary.js';
export { inflate, InflateError, INFLATED_TOO_LARGE, MAX_INFLATED_BYTES, type Compression } from './inflate.js';
