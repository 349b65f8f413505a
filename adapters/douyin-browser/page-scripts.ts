/**
 * Scripts injected into the room page before its own scripts run. Kept as plain strings: they
 * run in the browser, not in Node.
 */

/**
 * Keeps every audio/video element muted and paused: `play()` becomes a resolved no-op, and an
 * element that starts by itself (autoplay attribute) is paused on its first `play` event.
 * The live stream is worthless to the bridge and decoding it is most of a tab's CPU.
 */
export const QUIET_MEDIA_SCRIPT = `(() => {
  const quiet = (el) => {
    try {
      el.muted = true;
      el.autoplay = false;
      if (!el.paused) el.pause();
    } catch (_) {}
  };
  const proto = HTMLMediaElement.prototype;
  Object.defineProperty(proto, 'play', {
    configurable: true,
    writable: true,
    value: function play() {
      quiet(this);
      return Promise.resolve();
    },
  });
  document.addEventListener('play', (e) => { if (e.target instanceof HTMLMediaElement) quiet(e.target); }, true);
  document.addEventListener('loadstart', (e) => { if (e.target instanceof HTMLMediaElement) quiet(e.target); }, true);
})();`;
