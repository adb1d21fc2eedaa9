// A visitor's board, kept current without the WebAssembly (the island is for
// those who write): when the roundtable's live stream tells of a change, the
// page is read again and only what changed is put in place, so a screen
// reader's live regions announce the new notes and nothing else. The server
// writes the page for this visitor, so it shows exactly what they may see.
const board = document.getElementById('live-board');
// Reads for changes that come together wait this long for the others.
const COALESCE_MS = 150;
// The server pings every 15 s: this long without a word, the stream is reopened.
const SILENT_MS = 40_000;

// Makes `from` (in the page) like `to` (just read), touching only what differs.
function morph(from, to) {
  if (from.nodeType !== to.nodeType || from.nodeName !== to.nodeName) {
    from.replaceWith(document.importNode(to, true));
    return;
  }
  if (from.nodeType !== Node.ELEMENT_NODE) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
    return;
  }
  for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
  for (const a of to.attributes) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
  const before = [...from.childNodes];
  const after = [...to.childNodes];
  after.forEach((node, i) => {
    if (i < before.length) morph(before[i], node);
    else from.appendChild(document.importNode(node, true));
  });
  before.slice(after.length).forEach((node) => node.remove());
}

if (board) {
  let timer = null;
  let reading = false;
  let again = false;
  let heard = Date.now();
  let stream = null;

  const read = async () => {
    timer = null;
    if (reading) { again = true; return; }
    reading = true;
    try {
      const res = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      if (res.ok) {
        const page = new DOMParser().parseFromString(await res.text(), 'text/html');
        const fresh = page.getElementById('live-board');
        if (fresh) morph(board, fresh);
      }
    } catch (_) {
      // Offline: the next change, or the connection coming back, reads again.
    } finally {
      reading = false;
      if (again) { again = false; read(); }
    }
  };
  const soon = () => { heard = Date.now(); if (!timer) timer = setTimeout(read, COALESCE_MS); };
  const open = () => {
    if (stream) stream.close();
    heard = Date.now();
    stream = new EventSource(board.dataset.live);
    // The first event tells of nothing missed since the page was written: read once.
    stream.addEventListener('snapshot', soon);
    stream.addEventListener('change', soon);
    stream.addEventListener('ping', () => { heard = Date.now(); });
    stream.addEventListener('open', () => { document.body.dataset.following = 'true'; });
  };
  open();
  window.addEventListener('online', open);
  window.addEventListener('offline', () => stream && stream.close());
  setInterval(() => { if (Date.now() - heard > SILENT_MS && navigator.onLine) open(); }, 5_000);
}
