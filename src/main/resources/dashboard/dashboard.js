// proxywatch dashboard: history from the first event of /api/events, then one update a second.
// Everything shown that came from a log line (IPs, paths, rule keys, summaries, evidence) goes into the page with
// textContent, never as markup; chart tooltips and labels are drawn as canvas text (renderMode 'richText').
'use strict';

(function () {
  const SECONDS_KEPT = 3600;
  const MINUTES_KEPT = 1440;
  const RANGES = { '15m': 15 * 60 * 1000, '1h': 60 * 60 * 1000, '24h': 24 * 60 * 60 * 1000 };
  const COLORS = ['#4fa3e0', '#e0a630', '#e5534b', '#3fb27f', '#a371f7', '#db6d28', '#8b949e', '#56d4dd'];

  const state = { seconds: [], minutes: [], range: '15m', snapshot: null };
  const charts = {};

  // --- helpers ---------------------------------------------------------------------------------------------------

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fixed(v, digits) {
    return v === null || v === undefined ? '–' : Number(v).toFixed(digits);
  }

  function percent(v) {
    return v === null || v === undefined ? '–' : (v * 100).toFixed(v >= 0.1 ? 1 : 2) + ' %';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '–';
  }

  function appendPoint(list, point, max) {
    if (!point) return;
    if (list.length && list[list.length - 1].time >= point.time) return; // already in the history
    list.push(point);
    if (list.length > max) list.splice(0, list.length - max);
  }

  // --- charts ----------------------------------------------------------------------------------------------------

  function baseOption() {
    return {
      backgroundColor: 'transparent',
      animation: false,
      color: COLORS,
      textStyle: { color: '#d7dde3' },
      grid: { left: 48, right: 12, top: 28, bottom: 24 },
      legend: { top: 0, right: 0, textStyle: { color: '#9aa6b2' }, itemHeight: 8 },
      tooltip: { trigger: 'axis', renderMode: 'richText', backgroundColor: '#0f1419', borderColor: '#263039',
                 textStyle: { color: '#d7dde3' } },
      xAxis: { type: 'time', splitNumber: 4, axisLine: { lineStyle: { color: '#263039' } },
               axisLabel: { color: '#7d8a96', hideOverlap: true }, splitLine: { show: false } },
      yAxis: { type: 'value', axisLabel: { color: '#7d8a96' }, splitLine: { lineStyle: { color: '#1e262e' } } },
      series: []
    };
  }

  function line(name, data) {
    return { name: name, type: 'line', showSymbol: false, lineStyle: { width: 1.5 }, data: data };
  }

  function initCharts() {
    for (const id of ['qps', 'latency', 'errors', 'detections']) {
      charts[id] = echarts.init(document.getElementById('chart-' + id), null, { renderer: 'canvas' });
      charts[id].setOption(baseOption());
    }
    charts.errors.setOption({ yAxis: { axisLabel: { formatter: (v) => (v * 100).toFixed(1) + '%' } } });
    charts.status = echarts.init(document.getElementById('chart-status'), null, { renderer: 'canvas' });
    const status = baseOption();
    status.legend = { show: false };
    status.tooltip = { trigger: 'item', renderMode: 'richText', backgroundColor: '#0f1419', borderColor: '#263039',
                       textStyle: { color: '#d7dde3' } };
    status.xAxis = { type: 'category', data: [], axisLabel: { color: '#7d8a96' }, axisLine: { lineStyle: { color: '#263039' } } };
    charts.status.setOption(status);
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  }

  function visiblePoints() {
    const source = state.range === '24h' ? state.minutes : state.seconds;
    const from = Date.now() - RANGES[state.range];
    return source.filter((p) => p.time >= from);
  }

  function renderCharts() {
    const points = visiblePoints();
    const series = (field) => points.map((p) => [p.time, p[field]]);
    // every chart over the same span, so a spike lines up across panels (and a lone bar does not stretch the axis)
    const span = points.length ? { min: points[0].time, max: points[points.length - 1].time } : {};
    for (const id of ['qps', 'latency', 'errors', 'detections']) charts[id].setOption({ xAxis: span });
    charts.qps.setOption({ series: [line('qps', series('qps'))] });
    charts.latency.setOption({ series: [line('P50', series('p50_latency_ms')), line('P95', series('p95_latency_ms')),
                                        line('P99', series('p99_latency_ms'))] });
    charts.errors.setOption({ color: ['#e0a630', '#e5534b'],
                              series: [line('4xx', series('error_rate_4xx')), line('5xx', series('error_rate_5xx'))] });
    const categories = new Set();
    points.forEach((p) => Object.keys(p.detections || {}).forEach((c) => categories.add(c)));
    const detectionSeries = Array.from(categories).sort().map((c) => ({
      name: c, type: 'bar', stack: 'detections', barMaxWidth: 8,
      data: points.filter((p) => p.detections && p.detections[c]).map((p) => [p.time, p.detections[c]])
    }));
    charts.detections.setOption({ series: detectionSeries }, { replaceMerge: ['series'] });
  }

  function renderStatus(counts) {
    const codes = Object.keys(counts);
    const color = (code) => code >= 500 ? '#e5534b' : code >= 400 ? '#e0a630' : code >= 300 ? '#a371f7' : '#3fb27f';
    charts.status.setOption({
      xAxis: { data: codes },
      series: [{ name: 'requests', type: 'bar', barMaxWidth: 28,
                 data: codes.map((c) => ({ value: counts[c], itemStyle: { color: color(Number(c)) } })) }]
    });
  }

  // --- panels ----------------------------------------------------------------------------------------------------

  function renderTop(tableId, rows) {
    const body = document.querySelector('#' + tableId + ' tbody');
    const fresh = document.createElement('tbody');
    for (const r of rows) {
      const tr = el('tr');
      tr.append(el('td', 'mono', r.key), el('td', 'num', r.count));
      fresh.append(tr);
    }
    if (!rows.length) {
      const tr = el('tr');
      const td = el('td', 'muted', 'none');
      td.colSpan = 2;
      tr.append(td);
      fresh.append(tr);
    }
    body.replaceWith(fresh);
  }

  function fact(list, label, value, bad) {
    const div = el('div');
    div.append(el('dt', null, label), el('dd', bad ? 'bad' : null, value));
    list.append(div);
  }

  function renderAgent(a) {
    const list = document.getElementById('agent');
    list.replaceChildren();
    fact(list, 'lines/s read', fixed(a.lines_per_second, 1));
    fact(list, 'lines read', a.lines_read);
    fact(list, 'parse errors', a.parse_errors);
    fact(list, 'records shipped', a.shipping_on ? a.records_shipped : 'shipping off');
    fact(list, 'ship retries', a.ship_retries);
    fact(list, 'spooled', a.records_spooled + ' (' + bytes(a.spool_bytes) + ')', a.spool_batches > 0);
    fact(list, 'dead-lettered', a.records_dead_lettered, a.records_dead_lettered > 0);
    fact(list, 'last sent', a.shipping_on ? clock(a.last_delivered) : '–', a.collector_down);
    fact(list, 'heap', bytes(a.heap_used_bytes) + ' / ' + bytes(a.heap_max_bytes));
    fact(list, 'CPU', a.process_cpu_load === null ? '–' : percent(a.process_cpu_load));
    const body = document.querySelector('#agent-files tbody');
    const fresh = document.createElement('tbody');
    for (const f of a.files) {
      const tr = el('tr');
      const name = el('td', 'mono', f.path.split(/[\\/]/).pop());
      name.title = f.path;
      tr.append(name, el('td', 'num', bytes(f.lag_bytes)), el('td', 'num', fixed(f.lines_per_second, 1)));
      fresh.append(tr);
    }
    body.replaceWith(fresh);
  }

  function silenceControl(item) {
    if (item.silenced_until) {
      return el('span', 'silenced', 'silenced until ' + clock(item.silenced_until));
    }
    const box = el('span', 'silence');
    const select = el('select');
    select.setAttribute('aria-label', 'silence for');
    for (const [minutes, label] of [[15, '15 min'], [60, '1 h'], [240, '4 h'], [1440, '24 h']]) {
      const o = el('option', null, label);
      o.value = String(minutes);
      if (minutes === 60) o.selected = true;
      select.append(o);
    }
    const button = el('button', null, 'Silence');
    button.type = 'button';
    button.addEventListener('click', () => {
      button.disabled = true;
      silence(item.rule, item.key, Number(select.value))
        .then(() => box.replaceWith(el('span', 'silenced', 'silenced')))
        .catch((e) => { button.disabled = false; button.title = String(e.message || e); });
    });
    box.append(select, button);
    return box;
  }

  function silence(rule, key, minutes) {
    return fetch('/api/silence', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Proxywatch': '1' },
      body: JSON.stringify({ rule: rule, key: key, minutes: minutes })
    }).then((r) => {
      if (!r.ok) return r.text().then((t) => { throw new Error(t); });
      return r.json();
    });
  }

  function renderAlerts(alerts) {
    const body = document.querySelector('#alerts tbody');
    const fresh = document.createElement('tbody');
    // a row with its controls is kept while it is open, so a silence being chosen is not redrawn away
    const open = new Map();
    body.querySelectorAll('tr[data-id]').forEach((tr) => open.set(tr.dataset.id, tr));
    for (const a of alerts.items) {
      const id = a.rule + '\u0000' + a.key;
      const tr = el('tr');
      tr.dataset.id = id;
      const summary = el('td');
      summary.append(el('div', null, a.summary));
      if (a.evidence && a.evidence.length) {
        const details = el('details');
        const previous = open.get(id);
        if (previous && previous.querySelector('details[open]')) details.open = true;
        details.append(el('summary', null, 'evidence (' + a.evidence.length + ')'));
        details.append(el('pre', 'evidence', a.evidence.join('\n')));
        summary.append(details);
      }
      const state = el('td');
      state.append(el('span', 'state ' + a.state, a.state));
      const severity = el('td');
      severity.append(el('span', 'severity ' + a.severity, a.severity));
      const control = el('td');
      const previousControl = open.get(id) && open.get(id).querySelector('.silence');
      control.append(a.state === 'resolved' ? el('span') : (previousControl && !a.silenced_until ? previousControl : silenceControl(a)));
      tr.append(state, severity, el('td', 'mono', a.rule), el('td', 'mono', a.key), el('td', 'num', a.events_total),
                el('td', null, clock(a.last_seen)), summary, control);
      fresh.append(tr);
    }
    body.replaceWith(fresh);
    document.getElementById('alerts-empty').hidden = alerts.items.length > 0;
    document.getElementById('alerts-count').textContent =
      alerts.total > alerts.items.length ? alerts.items.length + ' of ' + alerts.total : String(alerts.total);
  }

  function renderSnapshot(s) {
    const t = s.traffic;
    const minutes = Math.round(t.window_seconds / 60);
    document.querySelectorAll('.window').forEach((e) => { e.textContent = 'last ' + minutes + ' min'; });
    const last = state.seconds[state.seconds.length - 1];
    document.getElementById('tile-qps').textContent = last ? fixed(last.qps, 1) : '–';
    document.getElementById('tile-p99').textContent = fixed(t.p99_latency_ms, 1) + ' ms';
    document.getElementById('tile-4xx').textContent = percent(t.error_rate_4xx);
    const t5 = document.getElementById('tile-5xx');
    t5.textContent = percent(t.error_rate_5xx);
    t5.classList.toggle('bad', t.error_rate_5xx > 0.05);
    const firing = s.alerts.items.filter((a) => a.state === 'firing').length;
    const tf = document.getElementById('tile-firing');
    tf.textContent = String(firing);
    tf.classList.toggle('bad', firing > 0);
    document.getElementById('tile-lag').textContent = bytes(s.agent.lag_bytes);
    renderStatus(t.status_counts);
    renderTop('top-ips', t.top_client_ips);
    renderTop('top-paths', t.top_paths);
    renderTop('top-404', t.top_404_paths);
    renderAlerts(s.alerts);
    renderAgent(s.agent);
    document.getElementById('updated').textContent = clock(s.time);
  }

  // --- live feed -------------------------------------------------------------------------------------------------

  function setConnection(cls, text) {
    const c = document.getElementById('connection');
    c.className = 'connection ' + cls;
    c.textContent = text;
  }

  function connect() {
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => setConnection('live', 'live'));
    source.addEventListener('error', () => setConnection('down', 'reconnecting'));
    source.addEventListener('history', (e) => {
      const h = JSON.parse(e.data);
      state.seconds = h.seconds;
      state.minutes = h.minutes;
      renderCharts();
      // the page shows something before the first update arrives
      fetch('/api/snapshot').then((r) => r.json()).then((s) => { if (!state.snapshot) renderSnapshot(s); });
    });
    source.addEventListener('update', (e) => {
      const u = JSON.parse(e.data);
      appendPoint(state.seconds, u.second, SECONDS_KEPT);
      appendPoint(state.minutes, u.minute, MINUTES_KEPT);
      state.snapshot = u.snapshot;
      renderCharts();
      renderSnapshot(u.snapshot);
    });
  }

  document.querySelectorAll('.ranges button').forEach((b) => b.addEventListener('click', () => {
    document.querySelectorAll('.ranges button').forEach((x) => x.classList.toggle('selected', x === b));
    state.range = b.dataset.range;
    renderCharts();
  }));

  initCharts();
  connect();
})();
