/**
 * GET /: a self-contained live page (no external assets) for an operator rehearsing a stream:
 * what the digital human hears, newest first, with each event's wire type and latency (its
 * timestamp → received); counts per type; the jobs and their states; and every refused request
 * with its status and error code (auth failures counted apart). It polls GET /_emulator/page for
 * what is new and appends it, so the list is never rebuilt; a type filter hides rows by CSS.
 *
 * Event text is put in with textContent only, so hostile comments cannot inject markup. The
 * font stack falls back through the common CJK fonts; when none is installed the page says so
 * (Chinese would show as boxes) instead of leaving the operator to guess.
 */

/** The page's HTML. */
export function livePage(title: string): string {
  const safeTitle = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${safeTitle}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","Droid Sans Fallback","DejaVu Sans",sans-serif;margin:0;background:#101418;color:#e8eef2}
header{padding:10px 16px;background:#1b2229;display:flex;flex-wrap:wrap;gap:6px 16px;align-items:baseline}
h1{font-size:18px;margin:0}#status{color:#8aa}#status.down{color:#f88}
#font-note{display:none;margin:0;padding:8px 16px;background:#4a3b12;color:#ffe7a0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(260px,2fr);gap:0 16px;padding:0 16px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#8aa;margin:14px 0 6px}
#filters{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 0}
#filters button{font:inherit;font-size:13px;background:#1e2a33;color:#cfe;border:1px solid #2f4350;border-radius:14px;padding:2px 10px;cursor:pointer}
#filters button[aria-pressed=false]{opacity:.45;text-decoration:line-through}
#filters b{font-weight:600;margin-left:4px}
ol,ul{list-style:none;margin:0;padding:0}
#events li{padding:5px 0;border-bottom:1px solid #223;display:flex;gap:8px;align-items:baseline}
.t{color:#789;font-size:12px;min-width:64px}.k{color:#9cf;font-size:12px;min-width:112px}
.l{color:#7b8;font-size:12px;min-width:64px;text-align:right}.l.slow{color:#fb6}.s{overflow-wrap:anywhere}
body.hide-1 #events li[data-type="1"],body.hide-2 #events li[data-type="2"],body.hide-3 #events li[data-type="3"],body.hide-4 #events li[data-type="4"],body.hide-5 #events li[data-type="5"],body.hide-6 #events li[data-type="6"]{display:none}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #223}th{color:#8aa;font-weight:500}
.state-PROCESSING{color:#7d7}.state-WAITING{color:#fd7}.state-SUCCEED,.state-FAILED,.state-BLOCKED{color:#f88}
#refused li{padding:4px 0;border-bottom:1px solid #223;font-size:13px}#refused .code{color:#f99;font-weight:600}#refused .msg{color:#9ab}
.sum{font-size:13px;color:#cdd}.sum b{color:#fff}.sum .bad{color:#f99}
</style></head>
<body><header><h1>${safeTitle}</h1><span id="status">connecting…</span>
<span class="sum"><b id="count" data-testid="count">0</b> events accepted</span>
<span class="sum"><b id="requests">0</b> requests, <b id="refused-count" class="bad">0</b> refused, <b id="auth-failures" class="bad">0</b> auth failures</span></header>
<p id="font-note" role="status"></p>
<main><section><div id="filters" aria-label="show event types"></div>
<h2>What the digital human hears <span id="shown"></span></h2>
<ol id="events" data-testid="events"></ol></section>
<aside><h2>Jobs</h2><table><thead><tr><th>room</th><th>job</th><th>state</th></tr></thead><tbody id="jobs"></tbody></table>
<h2>Refused requests</h2><ul id="refused" data-testid="refused"><li class="none">none yet</li></ul></aside></main>
<script>
const TYPES = [[1,'comment'],[2,'join'],[3,'like'],[4,'gift'],[5,'follow/subscribe'],[6,'viewers']];
const NAMES = Object.fromEntries(TYPES);
const KEEP = 300;
let eventsAfter = 0, requestsAfter = 0;
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };

// Filter buttons with a count each: one click hides or shows that type (CSS only, no rebuild).
for (const [type, name] of TYPES) {
  const b = el('button'); b.type = 'button'; b.dataset.type = String(type); b.setAttribute('aria-pressed', 'true');
  b.append(el('span', '', name), el('b', '', '0'));
  b.addEventListener('click', () => { const on = b.getAttribute('aria-pressed') !== 'true'; b.setAttribute('aria-pressed', String(on)); document.body.classList.toggle('hide-' + type, !on); });
  $('filters').append(b);
}

function say(e) {
  const c = e.content || {}; const u = (c.user && c.user.name) || '?';
  switch (e.type) {
    case 1: return u + ': ' + c.content;
    case 2: return u + ' joined';
    case 3: return u + ' liked';
    case 4: return u + ' sent ' + c.gift.giftNum + ' × ' + c.gift.giftName + ' (value ' + c.gift.totalValue + ')';
    case 5: return u + ' followed or subscribed';
    case 6: return c.numberOfViewers + ' viewers';
    default: return JSON.stringify(c);
  }
}
const time = (ms) => new Date(ms).toLocaleTimeString();
const latency = (ms) => (ms >= 0 ? '+' : '') + (Math.abs(ms) >= 10000 ? (ms / 1000).toFixed(1) + ' s' : ms + ' ms');

function addEvents(events) {
  const list = $('events');
  for (const e of events) {
    const li = el('li'); li.dataset.type = String(e.type); li.dataset.seq = String(e.seq);
    const l = el('span', 'l' + (e.latencyMs > 1000 ? ' slow' : ''), latency(e.latencyMs)); l.title = 'event timestamp → received';
    li.append(el('span', 't', time(e.receivedAt)), el('span', 'k', e.type + ' ' + (NAMES[e.type] || '?')), l, el('span', 's', say(e)));
    list.prepend(li);
  }
  while (list.children.length > KEEP) list.lastElementChild.remove();
}
function addRefusals(refusals) {
  const list = $('refused');
  if (refusals.length > 0) list.querySelector('.none')?.remove();
  for (const r of refusals) {
    const li = el('li'); li.dataset.status = String(r.status);
    li.append(el('span', 't', time(r.at) + ' '), el('span', '', r.operation + ' ' + r.method + ' → '),
      el('span', 'code', (r.status === 0 ? 'connection dropped' : r.status) + (r.errorCode ? ' ' + r.errorCode : '')),
      el('span', '', ' (auth ' + r.auth + (r.fault ? ', scripted fault' : '') + ') '), el('span', 'msg', r.errorMsg || ''));
    list.prepend(li);
  }
  while (list.children.length > 50) list.lastElementChild.remove();
}
function setJobs(jobs) {
  const body = $('jobs'); const rows = body.children;
  jobs.forEach((j, i) => {
    let tr = rows[i];
    if (!tr) { tr = el('tr'); tr.append(el('td'), el('td'), el('td')); body.append(tr); }
    tr.children[0].textContent = j.roomId; tr.children[1].textContent = j.jobId;
    tr.children[2].textContent = j.state; tr.children[2].className = 'state-' + j.state;
  });
  while (rows.length > jobs.length) body.lastElementChild.remove();
}

async function refresh() {
  try {
    const r = await fetch('/_emulator/page?events_after=' + eventsAfter + '&requests_after=' + requestsAfter, { cache: 'no-store' });
    const d = await r.json();
    addEvents(d.events); addRefusals(d.refusals); setJobs(d.jobs);
    eventsAfter = d.accepted; requestsAfter = d.requests;
    for (const b of $('filters').children) b.querySelector('b').textContent = String(d.byType[b.dataset.type] || 0);
    $('count').textContent = String(d.accepted);
    $('requests').textContent = String(d.requests);
    $('refused-count').textContent = String(d.refused);
    $('auth-failures').textContent = String(d.authFailures);
    $('status').textContent = 'live'; $('status').className = '';
  } catch (err) {
    $('status').textContent = 'emulator unreachable'; $('status').className = 'down';
  }
}

// Whether any installed font draws Chinese: '你' drawn in the page's font must differ from a
// private-use character, which no font has (both would be the same missing-glyph box).
function cjkFontMissing() {
  const c = document.createElement('canvas'); c.width = 48; c.height = 48;
  const g = c.getContext('2d'); if (!g) return false;
  g.font = '40px ' + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => { g.clearRect(0, 0, 48, 48); g.fillText(ch, 2, 40); return Array.from(g.getImageData(0, 0, 48, 48).data).join(','); };
  return draw('你') === draw('\\uE000');
}
if (cjkFontMissing()) {
  const note = $('font-note');
  note.textContent = 'No Chinese font is installed: Chinese comments and names show as boxes. Install Noto Sans CJK SC (Debian/Ubuntu: apt-get install fonts-noto-cjk) and reload.';
  note.style.display = 'block';
}
refresh(); setInterval(refresh, 1000);
</script></body></html>
`;
}
