/**
 * GET /: a self-contained live page (no external assets) that lists the latest accepted events
 * the way the digital human would hear them, refreshing itself every second. Event text is put
 * in with textContent only, so hostile comments cannot inject markup.
 */

/** The page's HTML. */
export function livePage(title: string): string {
  const safeTitle = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${safeTitle}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#101418;color:#e8eef2}
header{padding:12px 16px;background:#1b2229;display:flex;gap:16px;align-items:baseline}
h1{font-size:18px;margin:0}#status{color:#8aa}
ol{list-style:none;margin:0;padding:8px 16px}li{padding:6px 0;border-bottom:1px solid #223}
.t{color:#789;font-size:12px;margin-right:8px}.k{display:inline-block;min-width:84px;color:#9cf}
</style></head>
<body><header><h1>${safeTitle}</h1><span id="status">connecting…</span><span id="count" data-testid="count">0</span> events</header>
<ol id="events" data-testid="events"></ol>
<script>
const KINDS = {1:'comment',2:'join',3:'like',4:'gift',5:'follow/subscribe',6:'viewers'};
function say(e) {
  const c = e.content || {}; const u = (c.user && c.user.name) || '?';
  switch (e.event.type) {
    case 1: return u + ': ' + c.content;
    case 2: return u + ' joined';
    case 3: return u + ' liked';
    case 4: return u + ' sent ' + c.gift.giftNum + ' × ' + c.gift.giftName + ' (value ' + c.gift.totalValue + ')';
    case 5: return u + ' followed or subscribed';
    case 6: return c.numberOfViewers + ' viewers';
    default: return JSON.stringify(c);
  }
}
async function refresh() {
  try {
    const r = await fetch('/_emulator/events?limit=100', { cache: 'no-store' });
    const data = await r.json();
    const list = document.getElementById('events');
    const items = data.events.slice().reverse().map((e) => {
      const li = document.createElement('li');
      li.dataset.type = String(e.event.type);
      const t = document.createElement('span'); t.className = 't'; t.textContent = new Date(e.receivedAt).toLocaleTimeString();
      const k = document.createElement('span'); k.className = 'k'; k.textContent = KINDS[e.event.type] || String(e.event.type);
      const s = document.createElement('span'); s.className = 's'; s.textContent = say(e);
      li.append(t, k, s); return li;
    });
    list.replaceChildren(...items);
    document.getElementById('count').textContent = String(data.total);
    document.getElementById('status').textContent = 'live';
  } catch (err) {
    document.getElementById('status').textContent = 'emulator unreachable';
  }
}
refresh(); setInterval(refresh, 1000);
</script></body></html>
`;
}
