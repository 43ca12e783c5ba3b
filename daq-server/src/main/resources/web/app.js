'use strict';
// The nudaq web page: polls the JSON API every few seconds and redraws status and plots (uPlot).
// Everything comes from this daemon; no external requests.
(function () {
  const POLL_MS = 3000;
  const state = { detector: null, stage: 'after-gates', plots: {}, data: { spectra: null, residual: null, history: null } };
  window.__nudaq = state.data; // read by the browser test

  const $ = id => document.getElementById(id);
  const fmt = (v, d = 2) => (v === null || v === undefined || !isFinite(v)) ? '–' : Number(v).toFixed(d);
  const hours = s => (s / 3600);

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

  function width(el) { return Math.max(300, el.clientWidth - 4); }

  function ensurePlot(key, el, opts, data) {
    let p = state.plots[key];
    if (!p) {
      el.innerHTML = '';
      p = new uPlot(Object.assign({ width: width(el), height: 280 }, opts), data, el);
      state.plots[key] = p;
    } else {
      p.setData(data);
    }
  }

  function empty(key, el, text) {
    if (state.plots[key]) { state.plots[key].destroy(); delete state.plots[key]; }
    el.innerHTML = '<div class="empty">' + text + '</div>';
  }

  const logPositive = v => (v > 0 ? v : null);

  function renderStatus(s) {
    $('experiment').textContent = s.experiment;
    const r = $('reactor');
    r.textContent = 'reactor ' + s.reactor.state.toUpperCase() + ' (' + s.reactor.source + ')';
    r.className = 'pill ' + (s.reactor.state === 'on' ? 'on' : s.reactor.state === 'off' ? 'off' : '');
    const run = $('run');
    run.textContent = s.run.running ? 'run ' + s.run.number + ' running' : (s.run.number ? 'run ' + s.run.number + ' stopped' : 'no run started');
    run.className = 'pill ' + (s.run.running ? 'running' : '');
    $('links').innerHTML = s.links.map(l => '<span class="pill ' + (l.up ? 'up' : 'down') + '" title="frames ' + l.frames
      + ', CRC errors ' + l.crcErrors + ', gaps ' + l.sequenceGaps + ', reconnects ' + l.reconnects + '">board ' + l.board
      + (l.up ? ' up' : ' DOWN') + '</span>').join(' ');
    const d = s.detectors.find(x => x.detector === state.detector) || s.detectors[0];
    if (d && d.liveTimeAfterGatesSeconds) {
      $('live').textContent = fmt(hours(d.liveTimeAfterGatesSeconds.on), 1) + ' h / ' + fmt(hours(d.liveTimeAfterGatesSeconds.off), 1) + ' h';
    }
    $('rates').textContent = fmt(s.rates.receivedHz, 1) + ' / ' + fmt(s.rates.acceptedHz, 1) + ' Hz';
    $('veto').textContent = s.rates.vetoFraction === null ? '–' : fmt(100 * s.rates.vetoFraction, 2) + ' %';
    $('lag').textContent = s.pipeline.lagFrames + ' frames · ' + fmt(s.dataTimeSeconds / 86400, 2) + ' d';
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    const sel = $('detector');
    if (sel.options.length === 0) {
      s.detectors.forEach(x => sel.add(new Option(x.detector, x.detector)));
      state.detector = sel.value;
    }
  }

  function renderLimits(l) {
    if (!l.available) { $('mu').textContent = 'needs ON and OFF'; $('q').textContent = 'needs ON and OFF'; return; }
    $('mu').textContent = fmt(l.mu.limit / 1e-11, 2) + ' · ' + fmt(l.mu.expected / 1e-11, 2) + ' ×10⁻¹¹ μB';
    $('q').textContent = fmt(l.q.limit / 1e-12, 2) + ' · ' + fmt(l.q.expected / 1e-12, 2) + ' ×10⁻¹² e₀';
  }

  async function renderSpectra() {
    const q = 'detector=' + encodeURIComponent(state.detector) + '&stage=' + state.stage;
    $('csv-on').href = '/api/spectra?' + q + '&state=on&format=csv';
    $('csv-off').href = '/api/spectra?' + q + '&state=off&format=csv';
    const [on, off] = await Promise.all([getJson('/api/spectra?' + q + '&state=on'), getJson('/api/spectra?' + q + '&state=off')]);
    const el = $('spectra');
    if (!on.per1000h && !off.per1000h) { empty('spectra', el, 'no live time yet'); return; }
    const x = on.counts.map((_, i) => on.lowKeV + (i + 0.5) * on.binWidthKeV);
    const yOn = on.per1000h ? on.per1000h.map(logPositive) : x.map(() => null);
    const yOff = off.per1000h ? off.per1000h.map(logPositive) : x.map(() => null);
    state.data.spectra = { energyKeV: x, on: yOn, off: yOff, onLiveTimeSeconds: on.liveTimeSeconds, offLiveTimeSeconds: off.liveTimeSeconds };
    const steps = uPlot.paths.stepped({ align: 0 });
    ensurePlot('spectra', el, {
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: 'energy (keV)' }, { label: 'counts / 0.1 keV / 1000 h', size: 70 }],
      series: [{ label: 'keV', value: (u, v) => fmt(v, 2) },
        { label: 'ON (' + fmt(hours(on.liveTimeSeconds), 1) + ' h)', stroke: '#d1495b', width: 1.2, paths: steps, value: (u, v) => fmt(v, 1) },
        { label: 'OFF (' + fmt(hours(off.liveTimeSeconds), 1) + ' h)', stroke: '#2e86ab', width: 1.2, paths: steps, value: (u, v) => fmt(v, 1) }],
    }, [x, yOn, yOff]);
  }

  async function renderResidual() {
    const r = await getJson('/api/residual?detector=' + encodeURIComponent(state.detector) + '&rebin=10');
    state.data.residual = r;
    const el = $('residual');
    if (!r.available) { empty('residual', el, r.reason); return; }
    const lo = r.residual.map((v, i) => v === null ? null : v - r.error[i]);
    const hi = r.residual.map((v, i) => v === null ? null : v + r.error[i]);
    ensurePlot('residual', el, {
      scales: { x: { time: false } },
      axes: [{ label: 'energy (keV)' }, { label: 'counts / 0.1 keV / 1000 h', size: 70 }],
      series: [{ label: 'keV', value: (u, v) => fmt(v, 1) },
        { label: 'ON − OFF − weak', stroke: '#1d2430', width: 0, points: { show: true, size: 5, fill: '#1d2430' }, value: (u, v) => fmt(v, 2) },
        { label: '−1σ', stroke: 'rgba(29,36,48,0.25)', width: 1, value: (u, v) => fmt(v, 2) },
        { label: '+1σ', stroke: 'rgba(29,36,48,0.25)', width: 1, value: (u, v) => fmt(v, 2) },
        { label: 'μν at limit', stroke: '#e07a1f', width: 2, value: (u, v) => fmt(v, 3) },
        { label: 'qν at limit', stroke: '#7b4ba3', width: 2, dash: [6, 4], value: (u, v) => fmt(v, 3) }],
      bands: [{ series: [3, 2], fill: 'rgba(29,36,48,0.08)' }],
    }, [r.energyKeV, r.residual, lo, hi, r.muTemplate, r.qTemplate]);
  }

  function historyPlot(key, el, h, prefix, unit) {
    const scale = v => (v === null ? null : v / unit);
    // Against the accumulated exposure (ON + OFF, kg·day after the gates), not wall time.
    const data = [h.exposureKgDays, h[prefix + 'Limit'].map(scale), h[prefix + 'Expected'].map(scale),
      h[prefix + 'ExpectedMinus1'].map(scale), h[prefix + 'ExpectedPlus1'].map(scale)];
    const days = i => 'ON ' + fmt(h.onLiveTimeDays[i], 3) + ' d, OFF ' + fmt(h.offLiveTimeDays[i], 3) + ' d';
    ensurePlot(key, el, {
      scales: { x: { time: false } },
      axes: [{ label: 'exposure ON + OFF, kg·day' }, { size: 60 }],
      series: [{ label: 'exposure', value: (u, v, si, i) => (i == null ? '' : fmt(v, 3) + ' kg·day (' + days(i) + ')') },
        { label: 'limit', stroke: '#d1495b', width: 2, value: (u, v) => fmt(v, 3) },
        { label: 'expected', stroke: '#2a9d5c', width: 1.5, dash: [6, 4], value: (u, v) => fmt(v, 3) },
        { label: '−1σ', stroke: 'rgba(42,157,92,0.4)', width: 1, value: (u, v) => fmt(v, 3) },
        { label: '+1σ', stroke: 'rgba(42,157,92,0.4)', width: 1, value: (u, v) => fmt(v, 3) }],
      bands: [{ series: [4, 3], fill: 'rgba(42,157,92,0.15)' }],
    }, data);
  }

  async function renderHistory() {
    const h = await getJson('/api/limits/history');
    state.data.history = h;
    if (h.time.length === 0) {
      empty('history-mu', $('history-mu'), 'no limits yet: they need live time with the reactor ON and OFF');
      empty('history-q', $('history-q'), 'no limits yet');
      return;
    }
    historyPlot('history-mu', $('history-mu'), h, 'mu', 1e-11);
    historyPlot('history-q', $('history-q'), h, 'q', 1e-12);
  }

  async function poll() {
    try {
      const [s, l] = await Promise.all([getJson('/api/status'), getJson('/api/limits')]);
      renderStatus(s);
      renderLimits(l);
      await Promise.all([renderSpectra(), renderResidual(), renderHistory()]);
    } catch (e) {
      if (e.status === 409) {
        $('updated').textContent = 'waiting for the first data…';
      } else {
        $('updated').textContent = 'update failed: ' + e.message;
      }
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  $("detector").addEventListener("change", e => { state.detector = e.target.value; });
  $('stage').addEventListener('change', e => { state.stage = e.target.value; });
  window.addEventListener('resize', () => Object.entries(state.plots).forEach(([k, p]) => {
    const el = $(k);
    p.setSize({ width: width(el), height: 280 });
  }));
  poll();
})();
