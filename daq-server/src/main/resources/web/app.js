'use strict';
// The nudaq shift console: polls the daemon's JSON API and redraws the state of everything, the physics
// and the diagnostics (uPlot for the plots). Everything comes from this daemon; no external requests.
// Cheap documents (status, limits) every refresh; the limits history only what is new (?since=); spectra
// as counts (the page scales them); runs, logbook and slow control every 15 s.
(function () {
  const OPS_EVERY_MS = 15000;
  const state = {
    detector: null, stage: 'after-gates', rebin: 'auto', plots: {}, status: null, limits: null, lastOps: 0,
    history: null, prevNai: null, timer: null,
    data: { status: null, spectra: null, residual: null, history: null, nai: null, runs: null, logbook: null, slowControl: null },
  };
  window.__nudaq = state.data; // read by the browser test
  window.__nudaqPlots = state.plots;
  const transfer = { refreshes: 0, lastRefreshBytes: 0, lastRefreshRequests: 0, pageBytes: null, origins: [] };
  window.__nudaqTransfer = transfer;
  if (performance.setResourceTimingBufferSize) performance.setResourceTimingBufferSize(2000);

  const $ = id => document.getElementById(id);
  const esc = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const ok = v => v !== null && v !== undefined && isFinite(v);
  const fmt = (v, d = 2) => ok(v) ? Number(v).toFixed(d) : 'n/a';
  const int = v => ok(v) ? Math.round(v).toLocaleString('en-US') : 'n/a';
  const pct = (v, d = 1) => ok(v) ? (100 * v).toFixed(d) + ' %' : 'n/a';
  function dur(s) {
    if (!ok(s)) return 'n/a';
    if (Math.abs(s) < 120) return s.toFixed(1) + ' s';
    if (Math.abs(s) < 7200) return (s / 60).toFixed(1) + ' min';
    if (Math.abs(s) < 4 * 86400) return (s / 3600).toFixed(2) + ' h';
    return (s / 86400).toFixed(2) + ' d';
  }
  function bytes(b) {
    if (!ok(b)) return 'n/a';
    const u = ['B', 'kB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (Math.abs(b) >= 1000 && i < u.length - 1) { b /= 1000; i++; }
    return (i === 0 ? b.toFixed(0) : b.toFixed(1)) + ' ' + u[i];
  }
  function hz(v) {
    if (!ok(v)) return 'n/a';
    if (v === 0) return '0 Hz';
    if (v < 0.01) return (v * 1000).toFixed(2) + ' mHz';
    return v.toFixed(v < 10 ? 3 : 1) + ' Hz';
  }
  function sci(v, unit, d = 2) { return ok(v) ? (v / unit).toFixed(d) : 'n/a'; }

  async function getJson(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) {
      const body = await r.json().catch(() => ({}));
      const e = new Error(body.error || ('HTTP ' + r.status));
      e.status = r.status;
      throw e;
    }
    return r.json();
  }

  function setTile(id, level) { $(id).className = $(id).className.replace(/\b(good|warn|bad)\b/g, '').trim() + ' ' + level; }
  function table(id, head, rows) {
    $(id).innerHTML = '<thead><tr>' + head.map(h => '<th>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>'
      + rows.map(r => '<tr' + (r.cls ? ' class="' + r.cls + '"' : '') + '>' + r.cells.map(c => '<td>' + c + '</td>').join('') + '</tr>').join('')
      + '</tbody>';
  }

  // ---------- plots ----------
  function width(el) { return Math.max(300, el.clientWidth - 4); }
  function ensurePlot(key, el, opts, data) {
    let p = state.plots[key];
    if (p && p.__sig !== opts.__sig) { p.destroy(); delete state.plots[key]; p = null; }
    if (!p) {
      el.innerHTML = '';
      p = new uPlot(Object.assign({ width: width(el), height: 300 }, opts), data, el);
      p.__sig = opts.__sig;
      state.plots[key] = p;
    } else {
      p.setData(data);
    }
    // Labels carry live times and counts: keep the legend's text current without rebuilding the plot.
    const labels = p.root.querySelectorAll('.u-legend .u-series .u-label');
    opts.series.forEach((sr, i) => { if (labels[i] && labels[i].textContent !== sr.label) labels[i].textContent = sr.label; });
    return p;
  }
  function empty(key, el, text) {
    if (state.plots[key]) { state.plots[key].destroy(); delete state.plots[key]; }
    el.innerHTML = '<div class="empty">' + esc(text) + '</div>';
  }
  // Legend value: at the cursor, or the value at the right end (the latest) when the cursor is elsewhere.
  const legendValue = (digits, latest) => (u, v, si, i) => (i == null ? (latest ? latest(u, si) : '') : fmt(v, digits));
  const lastOf = digits => (u, si) => {
    const ys = u.data[si];
    for (let k = ys.length - 1; k >= 0; k--) if (ys[k] !== null && ys[k] !== undefined) return 'latest ' + fmt(ys[k], digits);
    return '';
  };
  const logTicks = (u, vals) => vals.map(v => (v == null ? '' : v >= 1 ? v.toLocaleString('en-US') : String(+v.toPrecision(1))));
  const peakOf = digits => (u, si) => {
    const ys = u.data[si].filter(ok);
    return ys.length ? 'peak ' + fmt(Math.max(...ys), digits) : '';
  };
  // Vertical marks (analysis window shaded, thresholds dashed) drawn under the series.
  function marksHook(marks) {
    return u => {
      const c = u.ctx, b = u.bbox, top = b.top, h = b.height;
      c.save();
      for (const m of marks()) {
        if (!ok(m.from)) continue;
        const x0 = u.valToPos(m.from, 'x', true);
        if (m.to !== undefined) {
          const x1 = u.valToPos(m.to, 'x', true);
          c.fillStyle = m.fill;
          c.fillRect(Math.max(b.left, x0), top, Math.min(b.left + b.width, x1) - Math.max(b.left, x0), h);
        } else if (x0 >= b.left && x0 <= b.left + b.width) {
          c.strokeStyle = m.stroke; c.lineWidth = 1.5 * devicePixelRatio; c.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          c.beginPath(); c.moveTo(x0, top); c.lineTo(x0, top + h); c.stroke();
        }
        if (m.label) { // a band's label centred in it, a line's to its right
          c.setLineDash([]); c.fillStyle = m.text || '#5c6778'; c.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
          c.textAlign = 'left'; c.textBaseline = 'alphabetic'; // uPlot leaves its axis alignment on the context
          const w = c.measureText(m.label).width;
          const at = m.to !== undefined ? (Math.max(b.left, x0) + Math.min(b.left + b.width, u.valToPos(m.to, 'x', true)) - w) / 2
            : x0 + 4 * devicePixelRatio;
          c.fillText(m.label, Math.min(at, b.left + b.width - w), top + (m.row || 1) * 13 * devicePixelRatio);
        }
      }
      c.restore();
    };
  }

  // ---------- state of everything ----------
  function renderState(s) {
    $('experiment').textContent = s.experiment;
    // Run
    const run = s.run;
    const runText = run.running ? 'run ' + run.number + ' running' : (run.number ? 'run ' + run.number + ' stopped' : 'no run started');
    $('run').textContent = runText;
    $('run').className = 'pill ' + (run.running ? 'good' : 'warn');
    $('run-value').textContent = runText;
    $('run-detail').textContent = (run.running ? 'since ' : 'changed ') + new Date(run.changedAt).toLocaleString()
      + ' · data time ' + dur(s.dataTimeSeconds) + ' since the boards\' run start';
    setTile('tile-run', run.running ? 'good' : 'warn');
    // Reactor
    const rs = s.reactor.state.toUpperCase();
    $('reactor').textContent = 'reactor ' + rs;
    $('reactor').className = 'pill ' + (rs === 'ON' ? 'on' : rs === 'OFF' ? 'off' : 'warn');
    const acc = (s.detectorAccounting || [])[0];
    $('reactor-value').textContent = rs;
    $('reactor-detail').textContent = 'state from ' + s.reactor.source
      + (acc && ok(acc.meanPowerFractionOn) ? ' · mean power while ON ' + pct(acc.meanPowerFractionOn, 1) + ' of nominal' : '');
    setTile('tile-reactor', rs === 'UNKNOWN' ? 'warn' : 'good');
    // Links
    const down = s.links.filter(l => !l.up);
    const errs = s.links.reduce((a, l) => a + l.crcErrors + l.sequenceGaps + l.framesLost, 0);
    $('links').innerHTML = s.links.map(l => '<span class="pill ' + (l.up ? 'good' : 'bad') + '">board ' + l.board + (l.up ? ' up' : ' DOWN') + '</span>').join(' ');
    $('links-value').textContent = down.length === 0 ? s.links.length + ' of ' + s.links.length + ' up' : down.length + ' DOWN';
    $('links-detail').textContent = 'CRC errors ' + s.links.reduce((a, l) => a + l.crcErrors, 0) + ' · sequence gaps '
      + s.links.reduce((a, l) => a + l.sequenceGaps, 0) + ' · frames lost ' + s.links.reduce((a, l) => a + l.framesLost, 0)
      + ' · reconnects ' + s.links.reduce((a, l) => a + l.reconnects, 0);
    setTile('tile-links', down.length ? 'bad' : errs ? 'warn' : 'good');
    // Journal and disk
    const st = s.storage, j = st.journal;
    const dataFree = st.dataDiskFreeBytes / st.dataDiskTotalBytes;
    let jLevel = 'good', jText;
    if (!j.enabled) { jText = 'no journal'; jLevel = 'warn'; }
    else if (j.mappedFault) { jText = 'FAULTED'; jLevel = 'bad'; }
    else if (j.diskFull) { jText = 'DISK FULL: not recording'; jLevel = 'bad'; }
    else { jText = 'recording · ' + bytes(j.sizeBytes); if (j.diskAlarm) jLevel = 'warn'; }
    if (dataFree < 0.10) jLevel = 'bad';
    $('journal-value').textContent = jText;
    $('journal-detail').textContent = (j.enabled ? 'journal disk ' + bytes(j.diskFreeBytes) + ' free (appends stop below ' + bytes(j.floorBytes) + ')'
      + (ok(j.lastAppendAgeSeconds) ? ' · last record ' + dur(j.lastAppendAgeSeconds) + ' ago' : '') + ' · ' : '')
      + 'data disk ' + pct(dataFree, 1) + ' free of ' + bytes(st.dataDiskTotalBytes);
    $('journal-pill').textContent = 'journal ' + (j.enabled ? (j.mappedFault ? 'FAULT' : j.diskFull ? 'FULL' : 'ok') : 'off');
    $('journal-pill').className = 'pill ' + jLevel;
    setTile('tile-journal', jLevel);
    // Alerts
    const a = s.alerts;
    const firing = a.checks.filter(c => c.firing);
    const crit = firing.filter(c => c.severity === 'critical').length;
    const aLevel = crit ? 'bad' : firing.length ? 'warn' : 'good';
    $('alerts-value').textContent = firing.length === 0 ? 'none firing (' + a.checks.length + ' rules checked)'
      : firing.length + ' firing' + (crit ? ' (' + crit + ' critical)' : '');
    $('alerts-pill').textContent = firing.length ? firing.length + ' alert' + (firing.length > 1 ? 's' : '') + ' firing' : 'no alerts';
    $('alerts-pill').className = 'pill ' + aLevel;
    $('alerts-source').textContent = '(' + a.source + ')';
    $('alerts-list').innerHTML = a.checks.map(c => '<li class="' + (c.firing ? (c.severity === 'critical' ? 'bad' : 'warn') : 'good') + '">'
      + '<b>' + (c.firing ? 'FIRING' : 'ok') + '</b> ' + esc(c.alert) + ' <span class="sev">' + esc(c.severity) + '</span> — '
      + esc(c.detail) + (c.firing ? ' <span class="runbook">what to do: ' + esc(c.runbook) + '</span>' : '') + '</li>').join('');
    setTile('tile-alerts', aLevel);
  }

  // ---------- physics ----------
  function detectorAcc(s) { return (s.detectorAccounting || []).find(x => x.detector === state.detector) || (s.detectorAccounting || [])[0]; }
  function detectorStatus(s) { return s.detectors.find(x => x.detector === state.detector) || s.detectors[0]; }

  function renderPhysicsNumbers(s) {
    const d = detectorStatus(s), a = detectorAcc(s);
    document.querySelectorAll('.det-name').forEach(e => { e.textContent = state.detector; });
    if (d && d.liveTimeAfterGatesSeconds) {
      $('live-on').textContent = dur(d.liveTimeAfterGatesSeconds.on);
      $('live-off').textContent = dur(d.liveTimeAfterGatesSeconds.off);
    }
    if (!a) return;
    $('exposure-on').textContent = fmt(a.exposureAfterGatesKgDays.on, 3) + ' kg·day';
    $('exposure-off').textContent = fmt(a.exposureAfterGatesKgDays.off, 3) + ' kg·day';
    $('dead-fraction').textContent = pct(a.deadTimeFraction, 3);
    $('dead-time').textContent = dur(a.deadTimeSeconds) + ' / ' + dur(a.realTimeSeconds);
    const e = a.events;
    const p = v => pct(e.received ? v / e.received : NaN, 2);
    const rows = [{ cells: ['received', int(e.received), '100 %'] }];
    for (const [k, v] of Object.entries(e.rejected)) rows.push({ cls: 'sub', cells: ['rejected: ' + k.replace(/_/g, ' '), int(v), p(v)] });
    rows.push({ cells: ['vetoed by the NaI (anticoincidence)', int(e.vetoed), p(e.vetoed)] });
    for (const [k, v] of Object.entries(e.gated)) rows.push({ cls: 'sub', cells: ['gated: ' + k.replace(/_/g, ' '), int(v), p(v)] });
    rows.push({ cls: 'total', cells: ['accepted (the analysis spectrum)', int(e.accepted), p(e.accepted)] });
    rows.push({ cls: 'sub', cells: ['pending (not decided yet)', int(e.pending), p(e.pending)] });
    table('accounting', ['HPGe events', 'count', 'of received'], rows);
    const before = d.liveTimeBeforeGatesSeconds, after = d.liveTimeAfterGatesSeconds;
    table('livetime', ['', 'reactor ON', 'reactor OFF'], [
      { cells: ['before gates (real − dead)', dur(before.on), dur(before.off)] },
      { cls: 'sub', cells: ['excluded by gates (muon, transition, data quality)', dur(a.excludedByGatesSeconds.on), dur(a.excludedByGatesSeconds.off)] },
      { cls: 'total', cells: ['after gates (analysed)', dur(after.on), dur(after.off)] },
      { cls: 'sub', cells: ['reactor state unknown (never analysed)', dur(before.unknown), ''] },
      { cls: 'sub', cells: ['dead time (all states) / real time', dur(a.deadTimeSeconds), dur(a.realTimeSeconds)] },
    ]);
    $('dq-value').textContent = int(d.badSlices) + ' of ' + int(d.goodSlices + d.badSlices) + ' slices rejected ('
      + pct((d.goodSlices + d.badSlices) ? d.badSlices / (d.goodSlices + d.badSlices) : NaN, 2) + ')';
    $('dq-detail').textContent = 'slices of ' + dur(s.analysis.qualitySliceSeconds) + '; rejected time ' + dur(a.badSliceSeconds)
      + ' (a slice whose threshold-band rate is far above the running mean is noise: its live time and events are excluded)';
  }

  // Issue 16: the joint (μν², qν²) region of the systematic fit, as its lower and upper qν² edge per μν² column.
  function renderJoint(l) {
    const j = l.available && l.systematics ? l.systematics.joint : null;
    if (!j || !j.contour) { empty('joint', $('joint'), 'no joint fit yet'); $('joint-detail').textContent = ''; return; }
    const x = j.contour.muHat2.map(v => v / 1e-22);
    const lo = j.contour.qHat2Low.map(v => (v === null ? null : v / 1e-24));
    const hi = j.contour.qHat2High.map(v => (v === null ? null : v / 1e-24));
    ensurePlot('joint', $('joint'), {
      __sig: 'joint', scales: { x: { time: false } },
      series: [{ label: 'μν²' }, { label: 'region, lower qν²', stroke: '#1f77b4', spanGaps: false },
        { label: 'region, upper qν²', stroke: '#d62728', spanGaps: false }],
      axes: [{ label: 'μν² (10⁻²² μB²)' }, { label: 'qν² (10⁻²⁴ e₀²)' }],
    }, [x, lo, hi]);
    $('joint-detail').textContent = 'best fit μν² = ' + fmt(j.muHat2 / 1e-22, 3) + ' ± ' + fmt(j.muSigma2 / 1e-22, 3)
      + ', qν² = ' + fmt(j.qHat2 / 1e-24, 3) + ' ± ' + fmt(j.qSigma2 / 1e-24, 3) + ' (correlation ' + fmt(j.correlation, 2)
      + '); significance ' + fmt(j.significance, 2) + 'σ' + (l.systematics.approximate ? ' · approximate (few counts per bin)' : '');
  }

  function renderLimits(l, s) {
    state.data.limits = l;
    renderJoint(l);
    const name = m => m.replace(/-/g, ' ');
    if (!l.available) {
      ['mu-limit', 'q-limit'].forEach(id => { $(id).textContent = 'needs ON and OFF live time'; });
      $('method').textContent = 'configured: ' + name(s.analysis.configuredMethod);
      $('method-detail').textContent = l.reason;
      return;
    }
    const cl = Math.round(100 * l.confidenceLevel) + '% CL';
    $('mu-cl').textContent = '(' + cl + ')';
    $('q-cl').textContent = '(' + cl + ')';
    $('mu-limit').textContent = '< ' + sci(l.mu.limit, 1e-11) + ' ×10⁻¹¹ μB';
    $('mu-expected').textContent = sci(l.mu.expected, 1e-11) + ' ×10⁻¹¹ μB';
    $('mu-band').textContent = sci(l.mu.expectedMinus1, 1e-11) + ' to ' + sci(l.mu.expectedPlus1, 1e-11) + ' ×10⁻¹¹ μB';
    $('mu-interval').textContent = l.mu.twoSided ? 'two-sided: ' + sci(l.mu.lowerLimit, 1e-11) + ' to ' + sci(l.mu.limit, 1e-11) + ' ×10⁻¹¹ μB'
      : 'upper limit (lower end 0)';
    $('q-limit').textContent = '< ' + sci(l.q.limit, 1e-12) + ' ×10⁻¹² e₀';
    $('q-expected').textContent = sci(l.q.expected, 1e-12) + ' ×10⁻¹² e₀';
    $('q-band').textContent = sci(l.q.expectedMinus1, 1e-12) + ' to ' + sci(l.q.expectedPlus1, 1e-12) + ' ×10⁻¹² e₀';
    $('q-interval').textContent = l.q.twoSided ? 'two-sided: ' + sci(l.q.lowerLimit, 1e-12) + ' to ' + sci(l.q.limit, 1e-12) + ' ×10⁻¹² e₀'
      : 'upper limit (lower end 0)';
    $('method').textContent = name(l.method) + (l.method !== l.configuredMethod ? ' (configured: ' + name(l.configuredMethod) + ')' : '');
    $('method-detail').textContent = l.methodReason + ' · lines: ' + (l.lineTreatment || 'n/a')
      + (l.lineMasks ? ', mask widths from ' + l.lineMasks.source : '') + ' · computed '
      + new Date(l.computedAt).toLocaleTimeString() + ' from ON ' + fmt(l.onLiveTimeDays, 3) + ' d and OFF ' + fmt(l.offLiveTimeDays, 3) + ' d';
  }

  function group(counts, g) {
    const out = [];
    for (let i = 0; i < counts.length; i += g) {
      let n = 0;
      for (let k = i; k < Math.min(counts.length, i + g); k++) n += counts[k];
      out.push(n);
    }
    return out;
  }

  async function renderSpectra(s) {
    const q = 'detector=' + encodeURIComponent(state.detector) + '&stage=' + state.stage;
    $('csv-on').href = '/api/spectra?' + q + '&state=on&format=csv';
    $('csv-off').href = '/api/spectra?' + q + '&state=off&format=csv';
    const [on, off] = await Promise.all([getJson('/api/spectra?' + q + '&state=on&values=counts'),
      getJson('/api/spectra?' + q + '&state=off&values=counts')]);
    const el = $('spectra');
    if (!(on.liveTimeSeconds > 0) && !(off.liveTimeSeconds > 0)) { empty('spectra', el, 'no live time yet'); return; }
    const an = s.analysis;
    let g = state.rebin === 'auto' ? 0 : Number(state.rebin);
    if (!g) { // auto: fine bins once the window holds enough counts per 0.1 keV bin
      const w0 = Math.floor((an.windowLowKeV - on.lowKeV) / on.binWidthKeV), w1 = Math.floor((an.windowHighKeV - on.lowKeV) / on.binWidthKeV);
      let n = 0;
      for (let i = w0; i < w1; i++) n += (on.counts[i] || 0) + (off.counts[i] || 0);
      const perBin = n / Math.max(1, w1 - w0);
      g = perBin >= 50 ? 1 : perBin >= 5 ? 5 : 10;
    }
    const width = on.binWidthKeV * g;
    const x = [];
    for (let i = 0; i * g < on.counts.length; i++) x.push(on.lowKeV + i * width);
    x.push(on.lowKeV + x.length * width); // the last bin's right edge, so every bin gets its step
    // counts per 0.1 keV per 1000 h; an empty bin is drawn at half a count (a log scale has no zero)
    const scaled = (sp) => {
      if (!(sp.liveTimeSeconds > 0)) return { y: x.map(() => null), zero: null };
      const k = 1000 / (sp.liveTimeSeconds / 3600) * (0.1 / width);
      const y = group(sp.counts, g).map(n => (n > 0 ? n * k : 0.5 * k));
      y.push(y[y.length - 1]);
      return { y, zero: 0.5 * k };
    };
    const yOn = scaled(on), yOff = scaled(off);
    state.data.spectra = { energyKeV: x, on: yOn.y, off: yOff.y, groupKeV: width, onLiveTimeSeconds: on.liveTimeSeconds,
      offLiveTimeSeconds: off.liveTimeSeconds, onCounts: on.inRange, offCounts: off.inRange, stage: on.stage };
    $('spectra-hint').textContent = '— counts per 0.1 keV per 1000 h of live time, bins of ' + fmt(width, 1) + ' keV; an empty bin is drawn at ½ count';
    const threshold = () => (detectorAcc(state.status) || {}).thresholdKeV;
    const steps = uPlot.paths.stepped({ align: 1 });
    ensurePlot('spectra', el, {
      __sig: 'spectra',
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: 'energy (keV)' }, { label: 'counts / 0.1 keV / 1000 h', size: 70, values: logTicks }],
      series: [{ label: 'keV', value: (u, v, si, i) => (i == null ? '' : fmt(v, 1) + '–' + fmt(v + width, 1)) },
        // OFF first, ON drawn over it: ON stays visible where they overlap.
        { label: 'OFF (' + dur(off.liveTimeSeconds) + ', ' + int(off.inRange) + ' counts)', stroke: '#2e86ab', fill: 'rgba(46,134,171,0.12)', width: 1.5, paths: steps, value: legendValue(1) },
        { label: 'ON (' + dur(on.liveTimeSeconds) + ', ' + int(on.inRange) + ' counts)', stroke: '#d1495b', width: 2, paths: steps, value: legendValue(1) }],
      hooks: { drawClear: [marksHook(() => [
        { from: an.windowLowKeV, to: an.windowHighKeV, fill: 'rgba(42,157,92,0.07)', label: 'analysis window ' + an.windowLowKeV + '–' + an.windowHighKeV + ' keV', row: 1 },
        { from: threshold(), stroke: '#e07a1f', label: 'threshold ' + threshold() + ' keV', text: '#b05a0a', row: 2 }])] },
    }, [x, yOff.y, yOn.y]);
  }

  async function renderResidual() {
    const rebin = 20; // 2 keV groups
    const r = await getJson('/api/residual?detector=' + encodeURIComponent(state.detector) + '&rebin=' + rebin);
    state.data.residual = r;
    const el = $('residual');
    if (!r.available) { empty('residual', el, r.reason); return; }
    const lo = r.residual.map((v, i) => v === null ? null : v - r.error[i]);
    const hi = r.residual.map((v, i) => v === null ? null : v + r.error[i]);
    // Left axis: the groups with typical errors (a group whose error is far above the median, the threshold edge or a
    // partial last group, may reach past it). Right axis: the signals at the limit, which are small against each
    // group's error by construction; it shares the zero of the left axis and puts the larger signal at 70% of the top.
    const errs = r.error.filter(ok).slice().sort((a, b) => a - b);
    const typical = 2.5 * (errs[Math.floor(errs.length / 2)] || 0);
    const vals = r.residual.map((v, i) => (ok(v) && r.error[i] <= typical ? [lo[i], hi[i]] : [])).flat().filter(ok);
    const mn = Math.min(0, ...vals), mx = Math.max(0, ...vals), pad = 0.08 * (mx - mn || 1);
    const yRange = [mn - pad, mx + pad];
    const sigMax = Math.max(0, ...r.muTemplate.filter(ok), ...r.qTemplate.filter(ok));
    if (sigMax > 0.7 * yRange[1]) yRange[1] = sigMax / 0.7; // signals as large as the data: one axis for both
    const k = sigMax > 0 ? sigMax / (0.7 * yRange[1]) : 1;
    state.residualRanges = { y: yRange, sig: [yRange[0] * k, yRange[1] * k] };
    const clipped = r.error.filter(e => ok(e) && e > typical).length;
    const w = r.windowSum;
    $('residual-hint').textContent = '— ' + (rebin / 10) + ' keV groups, after gates, band ±1σ'
      + (clipped ? ' (' + clipped + ' group(s) with large errors reach past the range)' : '')
      + '. Summed over the ' + w.bins + ' signal bins of the window: ON − OFF − weak ' + fmt(w.residual, 1) + ' ± ' + fmt(w.error, 1)
      + ', μν signal at the limit ' + fmt(w.mu, 1) + ', qν ' + fmt(w.q, 1) + ' (' + w.unit + ')';
    ensurePlot('residual', el, {
      __sig: 'residual',
      scales: { x: { time: false }, y: { range: () => state.residualRanges.y }, sig: { range: () => state.residualRanges.sig } },
      axes: [{ label: 'energy (keV)' }, { label: 'counts / 0.1 keV / 1000 h', size: 70 },
        { scale: 'sig', side: 1, label: 'signals at the limit (same unit)', size: 60, stroke: '#b05a0a', grid: { show: false } }],
      series: [{ label: 'keV', value: (u, v, si, i) => (i == null ? '' : fmt(v, 1)) },
        { label: '−1σ', stroke: 'rgba(29,36,48,0.3)', width: 1, value: legendValue(2) },
        { label: '+1σ', stroke: 'rgba(29,36,48,0.3)', width: 1, value: legendValue(2) },
        { label: 'ON − OFF − weak (left axis)', stroke: '#1d2430', width: 0, points: { show: true, size: 6, fill: '#1d2430' }, value: legendValue(2) },
        { label: 'μν signal at the limit (right axis)', scale: 'sig', stroke: '#e07a1f', fill: 'rgba(224,122,31,0.18)', width: 3, value: legendValue(3, peakOf(3)) },
        { label: 'qν signal at the limit (right axis)', scale: 'sig', stroke: '#7b4ba3', fill: 'rgba(123,75,163,0.12)', width: 3, dash: [8, 5], value: legendValue(3, peakOf(3)) }],
      bands: [{ series: [2, 1], fill: 'rgba(29,36,48,0.10)' }],
      hooks: { drawClear: [u => { // the zero line (shared by both axes)
        const y = u.valToPos(0, 'y', true), c = u.ctx;
        c.save(); c.strokeStyle = 'rgba(29,36,48,0.45)'; c.lineWidth = devicePixelRatio;
        c.beginPath(); c.moveTo(u.bbox.left, y); c.lineTo(u.bbox.left + u.bbox.width, y); c.stroke(); c.restore();
      }] },
    }, [r.energyKeV, lo, hi, r.residual, r.muTemplate, r.qTemplate]);
  }

  function historyPlot(key, el, h, prefix, unit) {
    const scale = v => (v === null ? null : v / unit);
    const data = [h.exposureKgDays, h[prefix + 'Limit'].map(scale), h[prefix + 'Expected'].map(scale),
      h[prefix + 'ExpectedMinus1'].map(scale), h[prefix + 'ExpectedPlus1'].map(scale)];
    const days = i => 'ON ' + fmt(h.onLiveTimeDays[i], 3) + ' d, OFF ' + fmt(h.offLiveTimeDays[i], 3) + ' d';
    ensurePlot(key, el, {
      __sig: key,
      scales: { x: { time: false } },
      axes: [{ label: 'exposure ON + OFF after gates (kg·day)' }, { size: 60 }],
      series: [{ label: 'exposure', value: (u, v, si, i) => (i == null ? h.time.length + ' results' : fmt(v, 3) + ' kg·day (' + days(i) + ')') },
        { label: 'limit', stroke: '#d1495b', width: 2, points: { show: false }, value: legendValue(3, lastOf(3)) },
        { label: 'expected', stroke: '#2a9d5c', width: 1.5, dash: [6, 4], value: legendValue(3, lastOf(3)) },
        { label: 'expected −1σ', stroke: 'rgba(42,157,92,0.4)', width: 1, value: legendValue(3, lastOf(3)) },
        { label: 'expected +1σ', stroke: 'rgba(42,157,92,0.4)', width: 1, value: legendValue(3, lastOf(3)) }],
      bands: [{ series: [4, 3], fill: 'rgba(42,157,92,0.15)' }],
    }, data);
  }

  const HISTORY_KEYS = ['time', 'muLimit', 'muExpected', 'muExpectedMinus1', 'muExpectedPlus1', 'qLimit', 'qExpected',
    'qExpectedMinus1', 'qExpectedPlus1', 'onLiveTimeDays', 'offLiveTimeDays', 'onExposureKgDays', 'offExposureKgDays', 'exposureKgDays'];
  async function renderHistory() {
    const since = state.history && state.history.time.length ? state.history.time[state.history.time.length - 1] : null;
    const h = await getJson('/api/limits/history' + (since === null ? '' : '?since=' + since));
    if (!state.history || since === null) {
      state.history = h;
    } else if (h.time.length) {
      for (const k of HISTORY_KEYS) state.history[k] = state.history[k].concat(h[k]);
      const extra = state.history.time.length - h.capacity;
      if (extra > 0) for (const k of HISTORY_KEYS) state.history[k] = state.history[k].slice(extra);
    }
    const hh = state.history;
    state.data.history = hh;
    if (hh.time.length === 0) {
      empty('history-mu', $('history-mu'), 'no limits yet: they need live time with the reactor ON and OFF');
      empty('history-q', $('history-q'), 'no limits yet');
      return;
    }
    historyPlot('history-mu', $('history-mu'), hh, 'mu', 1e-11);
    historyPlot('history-q', $('history-q'), hh, 'q', 1e-12);
  }

  // ---------- diagnostics ----------
  function renderDiagnostics(s) {
    const r = s.dataTimeRates;
    table('rates', ['', 'rate', ''], [
      { cells: ['HPGe received', hz(r.hpgeReceivedHz), 'data time'] },
      { cls: 'sub', cells: ['HPGe vetoed by the NaI', hz(r.hpgeVetoedHz), 'data time'] },
      { cls: 'sub', cells: ['HPGe accepted (after veto, cuts and gates)', hz(r.hpgeAcceptedHz), 'data time'] },
      { cells: ['NaI received (all segments)', hz(r.naiReceivedHz), 'data time'] },
      { cls: 'sub', cells: ['muons (NaI above ' + s.analysis.muonThresholdKeV + ' keV)', hz(r.muonHz), 'data time'] },
      { cells: ['all channels received (HPGe + NaI)', hz(r.allChannelsHz), 'data time'] },
      { cls: 'sub', cells: ['daemon throughput, all channels', hz(s.rates.receivedHz), 'wall clock'] },
      { cls: 'sub', cells: ['HPGe veto fraction since the start', pct(s.rates.vetoFraction, 2), ''] },
    ]);
    $('rates').insertAdjacentHTML('beforeend', '<caption>data time: rates at the detector, counts over the detector\'s clock (the last '
      + esc(dur(r.windowDataSeconds)) + ' of data); wall clock: how fast the daemon works (faster while catching up or replaying)</caption>');
    table('link-table', ['board', 'state', 'frames', 'received', 'CRC errors', 'sequence gaps', 'frames lost', 'reconnects'],
      s.links.map(l => ({ cls: l.up ? '' : 'bad', cells: [l.board, l.up ? 'up' : 'DOWN', int(l.frames), bytes(l.bytes),
        '<span class="' + (l.crcErrors ? 'warn' : '') + '">' + int(l.crcErrors) + '</span>',
        '<span class="' + (l.sequenceGaps ? 'warn' : '') + '">' + int(l.sequenceGaps) + '</span>',
        '<span class="' + (l.framesLost ? 'warn' : '') + '">' + int(l.framesLost) + '</span>', int(l.reconnects)] })));
    const fq = s.frameQueue;
    const f = fq.lagFrames / fq.capacityFrames;
    $('lag-fill').style.width = Math.min(100, 100 * f).toFixed(1) + '%';
    $('lag-fill').className = 'fill ' + (fq.lagFrames > fq.alertAboveFrames ? 'warn' : 'good');
    $('lag-value').textContent = int(fq.lagFrames) + ' of ' + int(fq.capacityFrames) + ' frames waiting (' + pct(f, 0) + ') · '
      + bytes(fq.lagBytes) + ' · links paused ' + int(fq.refusals) + ' times';
    $('lag-detail').textContent = (fq.lagFrames > fq.alertAboveFrames
      ? 'More than half full: the pipeline is slower than the data arriving. Normal while catching up after a start or with an accelerated source; '
        + 'NudaqPipelineLag fires if it lasts 5 min at the reactor. '
      : 'Below half: the pipeline keeps up. ') + fq.meaning + '. Last frame processed '
      + fmt(1000 * s.pipeline.lastFrameLatencySeconds, 1) + ' ms after its arrival.';
  }

  async function renderNai(s) {
    const n = await getJson('/api/nai');
    state.data.nai = n;
    const el = $('nai');
    const rows = [];
    const prev = state.prevNai;
    for (const c of s.naiChannels) {
      const p = prev && prev.channels.find(x => x.board === c.board && x.channel === c.channel);
      const dt = prev ? s.dataTimeSeconds - prev.dataTimeSeconds : 0;
      const rate = p && dt > 0 ? (c.received - p.received) / dt : (s.dataTimeSeconds > 0 ? c.received / s.dataTimeSeconds : NaN);
      rows.push({ cells: [esc(c.detector), c.board + '/' + c.channel, int(c.received), hz(rate)] });
    }
    state.prevNai = { dataTimeSeconds: s.dataTimeSeconds, channels: s.naiChannels };
    table('nai-table', ['segment', 'board/ch', 'hits received', 'rate (data time)'], rows);
    const first = n.spectra.filter(x => x.detector === (n.spectra[0] || {}).detector);
    const on = first.find(x => x.state === 'on'), off = first.find(x => x.state === 'off');
    if (!on || !off || (!(on.liveTimeSeconds > 0) && !(off.liveTimeSeconds > 0))) { empty('nai', el, 'no NaI live time yet'); return; }
    const pos = v => (v > 0 ? v : null);
    $('nai-hint').textContent = '— ' + first[0].detector + ', ' + n.unit + ', ' + fmt(on.groupKeV, 1) + ' keV groups';
    ensurePlot('nai', el, {
      __sig: 'nai',
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: 'energy (keV)' }, { label: 'counts / keV / h', size: 70, values: logTicks }],
      series: [{ label: 'keV', value: (u, v, si, i) => (i == null ? '' : fmt(v, 0)) },
        { label: 'OFF (' + dur(off.liveTimeSeconds) + ')', stroke: '#2e86ab', width: 1.5, value: legendValue(3) },
        { label: 'ON (' + dur(on.liveTimeSeconds) + ')', stroke: '#d1495b', width: 1.5, value: legendValue(3) }],
      hooks: { drawClear: [marksHook(() => [
        { from: n.naiThresholdKeV, stroke: '#2a9d5c', label: 'veto above ' + n.naiThresholdKeV + ' keV', row: 1 },
        { from: n.muonThresholdKeV, stroke: '#7b4ba3', label: 'muon above ' + n.muonThresholdKeV + ' keV', row: 2 }])] },
    }, [on.energyKeV, off.perKeVHour.map(pos), on.perKeVHour.map(pos)]);
  }

  // ---------- energy calibration (issue 17): line shifts and widths over data time, from the daemon's history ----------
  const CALIB_POINTS = 500; // kept per channel on the page (the daemon keeps more; the report has them all)
  const LINE_COLOURS = ['#d1495b', '#2e86ab', '#2a9d5c', '#d68910', '#7b4ba3', '#5c6778', '#c2185b', '#00838f', '#8d6e63', '#1d2430'];
  const calib = { since: null, channels: {}, enabled: null, alarmShiftKeV: null };
  function mergeCalibration(doc) {
    calib.enabled = doc.enabled;
    calib.alarmShiftKeV = doc.alarmShiftKeV;
    for (const c of doc.channels) {
      let k = calib.channels[c.channel];
      if (!k) k = calib.channels[c.channel] = { atNs: [], status: [], fwhmKeVAt10_37: [], lines: {}, attempts: 0 };
      k.attempts = c.attempts;
      const last = k.atNs.length ? k.atNs[k.atNs.length - 1] : -Infinity;
      c.atNs.forEach((t, i) => {
        if (t <= last) return; // already here (the since= of another channel)
        const n = k.atNs.length;
        k.atNs.push(t); k.status.push(c.status[i]); k.fwhmKeVAt10_37.push(c.fwhmKeVAt10_37[i]);
        for (const l of c.lines) {
          let kl = k.lines[l.energyKeV];
          if (!kl) kl = k.lines[l.energyKeV] = { shiftKeV: new Array(n).fill(null), fwhmKeV: new Array(n).fill(null) };
          kl.shiftKeV.push(l.shiftKeV[i]); kl.fwhmKeV.push(l.fwhmKeV[i]);
        }
        for (const kl of Object.values(k.lines)) { while (kl.shiftKeV.length < k.atNs.length) { kl.shiftKeV.push(null); kl.fwhmKeV.push(null); } }
      });
      const drop = k.atNs.length - CALIB_POINTS;
      if (drop > 0) {
        ['atNs', 'status', 'fwhmKeVAt10_37'].forEach(f => k[f].splice(0, drop));
        for (const kl of Object.values(k.lines)) { kl.shiftKeV.splice(0, drop); kl.fwhmKeV.splice(0, drop); }
      }
    }
    const lasts = Object.values(calib.channels).map(k => k.atNs.length ? k.atNs[k.atNs.length - 1] : null).filter(v => v !== null);
    calib.since = lasts.length ? Math.min(...lasts) : null;
  }
  // A horizontal band (the drift alarm's ±alarmShiftKeV) drawn under the series.
  const bandHook = half => u => {
    if (!ok(half())) return;
    const c = u.ctx, b = u.bbox, y0 = u.valToPos(half(), 'y', true), y1 = u.valToPos(-half(), 'y', true);
    c.save(); c.fillStyle = 'rgba(42,157,92,0.12)';
    const top = Math.max(b.top, Math.min(y0, y1)), bottom = Math.min(b.top + b.height, Math.max(y0, y1));
    c.fillRect(b.left, top, b.width, bottom - top);
    c.fillStyle = '#2a9d5c'; c.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif'; c.textAlign = 'left'; c.textBaseline = 'alphabetic';
    c.fillText('alarm band ±' + half() + ' keV (calibration.alarmShiftKeV)', b.left + 6 * devicePixelRatio, Math.max(b.top + 12 * devicePixelRatio, top - 3 * devicePixelRatio));
    c.restore();
  };
  async function renderCalibration(l) {
    const r = await optional('/api/calibration/history?points=' + CALIB_POINTS + (calib.since !== null ? '&since=' + calib.since : ''));
    const shiftEl = $('calib-shift'), fwhmEl = $('calib-fwhm');
    if (r.error) {
      empty('calib-shift', shiftEl, r.error.status === 404 ? 'calibration history not available from this daemon' : 'calibration history: ' + r.error.message);
      empty('calib-fwhm', fwhmEl, '');
      return;
    }
    mergeCalibration(r.doc);
    state.data.calibration = calib;
    const sel = $('calib-channel');
    Object.keys(calib.channels).forEach(ch => { if (![...sel.options].some(o => o.value === ch)) sel.add(new Option(ch, ch)); });
    const name = sel.value;
    const k = calib.channels[name];
    const masks = l && l.lineMasks ? l.lineMasks : null;
    $('calib-name').textContent = name || '–';
    $('calib-detail').innerHTML = 'line masks: ' + esc(masks ? masks.source + (masks.source !== 'configured'
      ? ' (' + masks.detectors.map(d => d.detector + ': ' + d.epochs + ' epochs').join(', ') + ')' : ' resolution') : 'n/a')
      + ' · <a href="/api/calibration">calibration report of this daemon\'s data (JSON)</a>'
      + (ok(state.currentRun) ? ' · <a href="/api/calibration?run=' + state.currentRun + '">of run ' + state.currentRun + '</a>' : '')
      + ' · <a href="/api/calibration/history">history (JSON)</a>';
    if (!calib.enabled && !k) {
      $('calib-value').textContent = 'online calibration off (calibration.enabled)';
      empty('calib-shift', shiftEl, 'online calibration is off: the channels\' configured calibration throughout');
      empty('calib-fwhm', fwhmEl, 'online calibration is off');
      return;
    }
    if (!k || k.atNs.length === 0) {
      $('calib-value').textContent = 'no calibration attempt yet';
      empty('calib-shift', shiftEl, 'no calibration attempt yet (one per calibration.intervalHours of data)');
      empty('calib-fwhm', fwhmEl, 'no calibration attempt yet');
      return;
    }
    const n = k.atNs.length;
    const applied = k.status.filter(x => x === 'calibrated' || x === 'step').length;
    $('calib-value').textContent = k.attempts + ' attempts (' + applied + ' of the last ' + n + ' applied) · newest: ' + k.status[n - 1]
      + ' at data time ' + dur(k.atNs[n - 1] / 1e9) + ' · FWHM(10.37 keV) ' + fmt(k.fwhmKeVAt10_37[n - 1], 3) + ' keV';
    const days = k.atNs.map(t => t / 86400e9);
    const energies = Object.keys(k.lines).map(Number).sort((a, b) => b - a);
    const series = [{ label: 'day', value: (u, v, si, i) => (i == null ? '' : fmt(v, 2)) }].concat(energies.map((e, i) => ({
      label: e.toFixed(2) + ' keV', stroke: LINE_COLOURS[i % LINE_COLOURS.length], width: 1.2,
      points: { show: true, size: 5 }, value: legendValue(4, lastOf(4)) })));
    const half = calib.alarmShiftKeV;
    const shifts = energies.map(e => k.lines[e].shiftKeV);
    const extent = Math.max(1.5 * (ok(half) ? half : 0), ...shifts.flat().filter(ok).map(Math.abs));
    $('calib-shift-hint').textContent = '— ' + n + ' attempts, data time in days';
    ensurePlot('calib-shift', shiftEl, {
      __sig: 'calib-shift:' + name + ':' + energies.join(','),
      scales: { x: { time: false }, y: { range: () => [-1.1 * extent, 1.1 * extent] } },
      axes: [{ label: 'data time (days since the boards\' run start)' }, { label: 'shift (keV)', size: 60 }],
      series, hooks: { drawClear: [bandHook(() => calib.alarmShiftKeV)] },
    }, [days].concat(shifts));
    $('calib-fwhm-hint').textContent = '— fitted per line; the curve FWHM² = noise + slope·E at 10.37 keV';
    ensurePlot('calib-fwhm', fwhmEl, {
      __sig: 'calib-fwhm:' + name + ':' + energies.join(','),
      scales: { x: { time: false } },
      axes: [{ label: 'data time (days since the boards\' run start)' }, { label: 'FWHM (keV)', size: 60 }],
      series: series.concat([{ label: 'curve at 10.37 keV', stroke: '#1d2430', width: 2, dash: [6, 4], value: legendValue(4, lastOf(4)) }]),
    }, [days].concat(energies.map(e => k.lines[e].fwhmKeV), [k.fwhmKeVAt10_37]));
  }

  // ---------- runs, logbook, slow control (their endpoints may not exist yet: 404 → not available) ----------
  async function optional(url) {
    try { return { doc: await getJson(url) }; } catch (e) { return { error: e }; }
  }
  const unavailable = (e, what) => '<div class="empty">' + (e.status === 404 ? esc(what) + ' not available from this daemon' : esc(what) + ': ' + esc(e.message)) + '</div>';
  const when = t => (t ? new Date(t).toLocaleString() : '—');
  async function renderOps() {
    const runs = await optional('/api/runs');
    state.data.runs = runs.doc || null;
    let run = null;
    if (runs.error) {
      $('runs').innerHTML = unavailable(runs.error, 'run list');
    } else {
      const list = runs.doc.runs.slice(-20).reverse();
      run = runs.doc.current !== null && runs.doc.current !== undefined ? runs.doc.current : (list[0] ? list[0].number : null);
      state.currentRun = runs.doc.current;
      $('runs').innerHTML = list.length === 0 ? '<div class="empty">no runs yet</div>' : '<table class="num"><thead><tr><th>run</th><th>start</th><th>stop</th><th>comments</th><th>config</th><th>calibration</th></tr></thead><tbody>'
        + list.map(r => '<tr' + (r.number === runs.doc.current ? ' class="total"' : '') + '><td>' + esc(r.number) + '</td><td>' + esc(when(r.start)) + '</td><td>'
          + (r.stop ? esc(when(r.stop)) : 'running') + '</td><td class="text">' + esc(r.startComment || '') + (r.stopComment ? ' / ' + esc(r.stopComment) : '')
          + '</td><td class="mono" title="' + esc(r.configSha256 || '') + '">' + esc((r.configSha256 || '').slice(0, 12))
          + '</td><td class="text"><a href="/api/calibration?run=' + encodeURIComponent(r.number) + '">report (JSON)</a></td></tr>').join('') + '</tbody></table>';
    }
    const log = await optional('/api/logbook' + (run !== null ? '?run=' + encodeURIComponent(run) : ''));
    state.data.logbook = log.doc || null;
    $('logbook-run').textContent = run !== null ? '(run ' + run + ')' : '';
    if (log.error) {
      $('logbook').innerHTML = unavailable(log.error, 'logbook');
    } else {
      const es = log.doc.entries.slice(-50).reverse();
      $('logbook').innerHTML = es.length === 0 ? '<div class="empty">no entries</div>' : '<ul class="log">' + es.map(e => '<li><span class="t">' + esc(when(e.time))
        + '</span> <span class="kind k-' + esc(String(e.kind).toLowerCase()) + '">' + esc(e.kind) + '</span> ' + esc(e.text)
        + (e.author ? ' <span class="author">— ' + esc(e.author) + '</span>' : '') + '</li>').join('') + '</ul>';
    }
    const sc = await optional('/api/slow-control');
    state.data.slowControl = sc.doc || null;
    if (sc.error) {
      $('slow-control').innerHTML = unavailable(sc.error, 'slow control');
    } else {
      const ex = Object.entries(sc.doc.excludedLiveTimeSecondsByReason || {});
      $('slow-control').innerHTML = (sc.doc.sensors.length === 0 ? '<div class="empty">no sensors</div>'
        : '<table class="num"><thead><tr><th>sensor</th><th>value</th><th>read</th><th>rule</th></tr></thead><tbody>'
        + sc.doc.sensors.map(x => '<tr class="' + (x.ruleViolated ? 'bad' : '') + '"><td>' + esc(x.name) + '</td><td>' + esc(fmt(x.value, 2)) + ' ' + esc(x.unit || '')
          + '</td><td>' + esc(when(x.time)) + '</td><td>' + (x.ruleViolated ? 'VIOLATED: time excluded' : 'ok') + '</td></tr>').join('') + '</tbody></table>')
        + (ex.length ? '<div class="detail">live time excluded: ' + ex.map(([k, v]) => esc(k) + ' ' + esc(dur(v))).join(', ') + '</div>' : '');
    }
  }

  // ---------- refresh ----------
  function accountTransfer() {
    const api = performance.getEntriesByType('resource').filter(e => e.name.indexOf('/api/') >= 0);
    for (const e of performance.getEntriesByType('resource')) {
      const o = new URL(e.name).origin;
      if (transfer.origins.indexOf(o) < 0) transfer.origins.push(o);
    }
    if (transfer.pageBytes === null) {
      const nav = performance.getEntriesByType('navigation')[0];
      const files = performance.getEntriesByType('resource').filter(e => e.name.indexOf('/api/') < 0);
      transfer.pageBytes = (nav ? nav.transferSize : 0) + files.reduce((a, e) => a + e.transferSize, 0);
      transfer.pageFiles = files.length + 1;
    }
    transfer.lastRefreshBytes = api.reduce((a, e) => a + e.transferSize, 0);
    transfer.lastRefreshRequests = api.length;
    transfer.refreshes++;
    performance.clearResourceTimings();
    $('transfer').textContent = 'last refresh ' + bytes(transfer.lastRefreshBytes) + ' in ' + api.length + ' requests';
  }

  // One refresh at a time: a control changed during a refresh asks for another one right after it.
  let polling = false, pollAgain = false;
  async function poll() {
    if (polling) { pollAgain = true; return; }
    polling = true;
    clearTimeout(state.timer);
    try {
      if (document.hidden) return; // nothing drawn while nobody looks; a refresh follows when the tab shows again
      const [s, l] = await Promise.all([getJson('/api/status'), getJson('/api/limits')]);
      state.status = s;
      state.data.status = s;
      const sel = $('detector');
      if (sel.options.length === 0 && s.detectors.length) {
        s.detectors.forEach(x => sel.add(new Option(x.detector, x.detector)));
        state.detector = sel.value;
      }
      renderState(s);
      renderPhysicsNumbers(s);
      renderLimits(l, s);
      renderDiagnostics(s);
      const jobs = [renderSpectra(s), renderResidual(), renderHistory(), renderNai(s)];
      if (Date.now() - state.lastOps >= OPS_EVERY_MS) { state.lastOps = Date.now(); jobs.push(renderOps().then(() => renderCalibration(l))); }
      await Promise.all(jobs);
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      accountTransfer();
    } catch (e) {
      $('updated').textContent = e.status === 409 ? 'waiting for the first data…' : 'update failed: ' + e.message;
      if (e.status !== 409) window.__nudaqErrors.push('refresh: ' + e.message); // seen by the crew above and by the browser test
    } finally {
      polling = false;
      if (pollAgain) { pollAgain = false; setTimeout(poll, 0); } else { state.timer = setTimeout(poll, Number($('refresh').value)); }
    }
  }

  window.__nudaqRefreshOps = () => { state.lastOps = 0; poll(); }; // the browser test: read the three panels now
  $('detector').addEventListener('change', e => { state.detector = e.target.value; poll(); });
  $('stage').addEventListener('change', e => { state.stage = e.target.value; poll(); });
  $('rebin').addEventListener('change', e => { state.rebin = e.target.value; poll(); });
  $('calib-channel').addEventListener('change', () => { state.lastOps = 0; poll(); });
  $('refresh').addEventListener('change', () => poll());
  document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
  window.addEventListener('resize', () => Object.entries(state.plots).forEach(([k, p]) => p.setSize({ width: width($(k)), height: 300 })));
  poll();
})();
