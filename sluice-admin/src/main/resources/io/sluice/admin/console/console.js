// The Sluice web console: a dependency-free page over the admin API (/api/v1), refreshed every few seconds.
(function () {
  'use strict';
  const REFRESH_MS = 2000;
  const history = []; // {t, streamRecords, queueReady}
  let view = 'overview';
  let selectedDlq = null;

  function $(sel) { return document.querySelector(sel); }
  function esc(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g,
      c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  }
  async function api(path, options) {
    const res = await fetch(path, Object.assign({headers: {'Content-Type': 'application/json'}}, options || {}));
    const text = await res.text();
    const body = text ? JSON.parse(text) : null;
    if (!res.ok && res.status !== 503) {
      throw new Error((body && body.error) || ('HTTP ' + res.status));
    }
    return body;
  }
  function showError(e) {
    const el = $('#error');
    if (e) { el.textContent = String(e.message || e); el.hidden = false; } else { el.hidden = true; }
  }
  function rows(table, html) { $(table + ' tbody').innerHTML = html.join(''); }

  async function renderOverview() {
    const o = await api('/api/v1/overview');
    const cards = [['streams', o.streams], ['partitions', o.partitions], ['stream records', o.streamRecords],
      ['stream bytes', o.streamBytes], ['queues', o.queues], ['ready', o.queueMessagesReady],
      ['unacked', o.queueMessagesUnacked], ['dead letters', o.deadLetterMessages], ['connections', o.connections]];
    $('#overview-cards').innerHTML = cards.map(c =>
      '<div class="card"><div class="v">' + esc(c[1]) + '</div><div class="k">' + esc(c[0]) + '</div></div>').join('');
    history.push({t: o.time, streamRecords: o.streamRecords, queueReady: o.queueMessagesReady});
    if (history.length > 60) { history.shift(); }
    drawChart();
    const a = await api('/alerts');
    rows('#alerts-table', a.alerts.map(x => '<tr><td>' + esc(x.kind) + '</td><td>' + esc(x.entity) + '</td><td>' +
      esc(x.message) + '</td><td>' + esc(new Date(x.since).toISOString()) + '</td></tr>'));
  }

  function drawChart() {
    const c = $('#rate-chart');
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const rates = [];
    for (let i = 1; i < history.length; i++) {
      const dt = Math.max(1, history[i].t - history[i - 1].t) / 1000;
      rates.push({s: (history[i].streamRecords - history[i - 1].streamRecords) / dt,
        q: (history[i].queueReady - history[i - 1].queueReady) / dt});
    }
    const max = Math.max(1, ...rates.map(r => Math.max(Math.abs(r.s), Math.abs(r.q))));
    const mid = c.height / 2;
    g.strokeStyle = '#ccd'; g.beginPath(); g.moveTo(0, mid); g.lineTo(c.width, mid); g.stroke();
    g.fillStyle = '#5a6675'; g.fillText(max.toFixed(1) + '/s', 4, 12);
    [['s', '#2b7bd6'], ['q', '#d6692b']].forEach(([k, color]) => {
      g.strokeStyle = color; g.beginPath();
      rates.forEach((r, i) => {
        const x = (i / Math.max(1, 59)) * c.width;
        const y = mid - (r[k] / max) * (mid - 14);
        if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
      });
      g.stroke();
    });
  }

  async function renderStreams() {
    const streams = await api('/api/v1/streams');
    const out = [];
    for (const s of streams) {
      const d = await api('/api/v1/streams/' + encodeURIComponent(s.name));
      for (const p of d.partitionDetails) {
        out.push('<tr data-stream="' + esc(s.name) + '"><td>' + esc(s.name) + '</td><td class="num">' + p.partition +
          '</td><td class="num">' + p.logStartOffset + '</td><td class="num">' + p.logEndOffset +
          '</td><td class="num">' + p.sizeBytes + '</td><td class="num">' + p.segments + '</td></tr>');
      }
    }
    rows('#streams-table', out);
  }

  async function renderQueues() {
    const queues = await api('/api/v1/queues');
    rows('#queues-table', queues.map(q => '<tr data-queue="' + esc(q.name) + '"><td>' + esc(q.name) +
      '</td><td class="num depth">' + q.messages + '</td><td class="num unacked">' + q.unacked +
      '</td><td class="num">' + q.consumers + '</td><td class="num">' + q.bytes + '</td><td>' +
      (q.deadLetter ? 'yes' : '') + '</td></tr>'));
  }

  async function renderGroups() {
    const groups = await api('/api/v1/groups');
    const out = [];
    for (const g of groups) {
      const d = await api('/api/v1/groups/' + encodeURIComponent(g.group));
      for (const o of d.offsets) {
        out.push('<tr data-group="' + esc(g.group) + '"><td>' + esc(g.group) + '</td><td>' + esc(o.stream) +
          '</td><td class="num">' + o.partition + '</td><td class="num">' + o.committedOffset +
          '</td><td class="num">' + o.logEndOffset + '</td><td class="num lag">' + o.lag + '</td></tr>');
      }
    }
    rows('#groups-table', out);
  }

  async function renderDeadLetters() {
    const queues = (await api('/api/v1/queues')).filter(q => q.deadLetter);
    rows('#dlq-table', queues.map(q => '<tr data-queue="' + esc(q.name) + '"><td>' + esc(q.name) +
      '</td><td class="num depth">' + q.messages + '</td><td><button type="button" class="inspect" data-queue="' +
      esc(q.name) + '">Inspect</button></td></tr>'));
    document.querySelectorAll('#dlq-table button.inspect').forEach(b =>
      b.addEventListener('click', () => { selectedDlq = b.dataset.queue; renderDlqMessages().catch(showError); }));
    if (selectedDlq) { await renderDlqMessages(); }
  }

  async function renderDlqMessages() {
    $('#dlq-detail').hidden = false;
    $('#dlq-name').textContent = selectedDlq;
    const msgs = await api('/api/v1/queues/' + encodeURIComponent(selectedDlq) + '/messages?limit=50');
    rows('#dlq-messages', msgs.map(m => '<tr data-offset="' + m.offset + '"><td class="num">' + m.offset +
      '</td><td class="body">' + esc(m.body) + '</td><td>' + esc(Object.entries(m.headers || {})
        .map(e => e[0] + '=' + e[1]).join(', ')) + '</td></tr>'));
  }

  async function redrive() {
    const body = {ratePerSecond: Number($('#redrive-rate').value) || 100};
    const filter = $('#redrive-filter').value;
    if (filter) { body.bodyContains = filter; }
    let task = await api('/api/v1/queues/' + encodeURIComponent(selectedDlq) + '/redrive',
      {method: 'POST', body: JSON.stringify(body)});
    $('#redrive-status').textContent = 'redrive ' + task.state + ': moved ' + task.moved;
    while (task.state === 'RUNNING') {
      await new Promise(r => setTimeout(r, 500));
      task = await api('/api/v1/redrives/' + encodeURIComponent(task.id));
      $('#redrive-status').textContent = 'redrive ' + task.state + ': moved ' + task.moved + ', skipped ' +
        task.skipped + (task.error ? ' (' + task.error + ')' : '');
    }
    await refresh();
  }

  async function renderConnections() {
    const protocol = $('#connections-protocol').value;
    const conns = await api('/api/v1/connections' + (protocol ? '?protocol=' + encodeURIComponent(protocol) : ''));
    rows('#connections-table', conns.map(c => '<tr data-connection="' + c.id + '"><td class="num">' + c.id +
      '</td><td class="protocol">' + esc(c.protocol) + '</td><td class="client">' + esc(c.clientName || c.clientId) +
      '</td><td>' + esc(c.user) + '</td><td>' + esc(c.namespace) + '</td><td class="remote">' +
      esc(c.remoteAddress) + '</td><td>' + esc(new Date(c.connectedAt).toISOString()) +
      '</td><td class="num received">' + c.receivedBytes + '</td><td class="num sent">' + c.sentBytes +
      '</td><td class="num">' + c.receivedMessages + '</td><td class="num">' + c.sentMessages +
      '</td><td class="num">' + c.errors + '</td><td><button type="button" class="close-connection" data-connection="' +
      c.id + '">Close</button></td></tr>'));
    document.querySelectorAll('#connections-table button.close-connection').forEach(b =>
      b.addEventListener('click', () => {
        if (!window.confirm('Close connection ' + b.dataset.connection + '?')) { return; }
        api('/api/v1/connections/' + encodeURIComponent(b.dataset.connection), {method: 'DELETE'})
          .then(refresh).catch(showError);
      }));
  }

  const renderers = {overview: renderOverview, streams: renderStreams, queues: renderQueues, groups: renderGroups,
    deadletters: renderDeadLetters, connections: renderConnections};

  async function refresh() {
    try {
      const h = await api('/health');
      const badge = $('#health');
      badge.textContent = h.status;
      badge.className = 'badge ' + (h.status === 'UP' ? 'up' : 'down');
      await renderers[view]();
      showError(null);
    } catch (e) {
      showError(e);
    }
  }

  function select() {
    view = (location.hash || '#overview').substring(1);
    if (!renderers[view]) { view = 'overview'; }
    document.querySelectorAll('.view').forEach(v => v.classList.toggle('active', v.id === 'view-' + view));
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.view === view));
    refresh();
  }

  window.addEventListener('hashchange', select);
  $('#redrive-button').addEventListener('click', () => redrive().catch(showError));
  $('#connections-protocol').addEventListener('change', refresh);
  select();
  setInterval(refresh, REFRESH_MS);
  // the overview chart needs samples even while another view is shown
  setInterval(() => { if (view !== 'overview') { api('/api/v1/overview').then(o => history.push(
    {t: o.time, streamRecords: o.streamRecords, queueReady: o.queueMessagesReady})).catch(() => {}); } }, REFRESH_MS);
}());
