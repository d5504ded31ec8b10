/*
 * The insights dashboard. Vanilla JS, no build step, no inline code (CSP: script-src 'self').
 * Everything users wrote (the inbox) is put on the page as text, never as HTML.
 * Sign-in is the agent console's (same accounts, same session); the figures need the admin role.
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var OUTCOMES = ['resolved', 'handed_off', 'escalated', 'abandoned', 'out_of_scope', 'android'];
  var OUTCOME_NAMES = { resolved: 'Resolved', handed_off: 'Handed to an agent', escalated: 'Escalated to links', abandoned: 'Abandoned', out_of_scope: 'Out of scope', android: 'Android' };
  var COLOURS = ['#0a7c3e', '#2f6fd6', '#c98a00', '#b3261e', '#7a7f7c', '#8e44ad'];
  var charts = {};
  var intents = [];

  var el = window.PageKit.el;
  var clear = window.PageKit.clear;

  function screen(name) {
    ['loading', 'signin', 'forbidden', 'dashboard'].forEach(function (id) { $(id).hidden = id !== name; });
    $('sign-out').hidden = name === 'signin' || name === 'loading';
  }

  var api = window.PageKit.api;


  function failed(err) {
    if (err.status === 401) return screen('signin');
    if (err.status === 403 && err.code !== 'CSRF_REJECTED') return screen('forbidden');
    $('error').textContent = err.message;
    $('error').hidden = false;
  }

  function period() {
    return $('period').value;
  }

  // ---------- figures ----------

  function pct(n, of) {
    return of ? ((100 * n) / of).toFixed(1) + ' %' : '';
  }

  function chart(id, type, labels, data, options) {
    if (typeof Chart === 'undefined') return; // the chart library failed to load: the figures still show
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), {
      type: type,
      data: { labels: labels, datasets: [{ data: data, backgroundColor: type === 'doughnut' ? COLOURS : '#0a7c3e' }] },
      options: Object.assign({ animation: false, responsive: true, plugins: { legend: { display: type === 'doughnut', position: 'bottom' } } }, options || {}),
    });
  }

  function showFigures(f) {
    var decided = f.conversations - f.open;
    $('n-conversations').textContent = String(f.conversations);
    OUTCOMES.forEach(function (k) {
      var node = $('n-' + k);
      if (node) node.textContent = String(f.outcomes[k]);
    });
    $('r-resolved').textContent = pct(f.outcomes.resolved, decided);
    $('n-csat').textContent = f.csat.mean === null ? '—' : String(f.csat.mean);
    $('r-csat').textContent = f.csat.answers + ' answers';

    chart('chart-outcomes', 'doughnut', OUTCOMES.map(function (k) { return OUTCOME_NAMES[k]; }), OUTCOMES.map(function (k) { return f.outcomes[k]; }));
    // Every fix named on the axis (chart.js would skip labels when space is short).
    chart('chart-fixes', 'bar', f.resolvedByFix.map(function (r) { return r.fix; }), f.resolvedByFix.map(function (r) { return r.resolved; }), { indexAxis: 'y', scales: { y: { ticks: { autoSkip: false } } } });
    chart('chart-csat', 'bar', ['1', '2', '3', '4', '5'], f.csat.distribution);

    var box = $('funnels');
    clear(box);
    f.fixes.forEach(function (fix) {
      var worst = null;
      fix.steps.forEach(function (s) { if (s.cantFind > 0 && (!worst || s.cantFind > worst.cantFind)) worst = s; });
      var rows = fix.steps.map(function (s) {
        return el('tr', { className: s === worst ? 'worst' : null },
          el('td', { text: s.step }), el('td', { className: 'n', text: String(s.reached) }),
          el('td', { className: 'n', text: String(s.cantFind) }), el('td', { className: 'n', text: String(s.abandoned) }));
      });
      box.appendChild(el('p', { className: 'funnel-title', text: fix.fix + ': started ' + fix.started + ', solved ' + fix.solved + ' (' + (pct(fix.solved, fix.started) || '—') + '), did not help ' + fix.failed + ', abandoned ' + fix.abandoned }));
      var head = el('tr', null, el('th', { text: 'step' }), el('th', { className: 'n', text: 'reached' }), el('th', { className: 'n', text: "can't find" }), el('th', { className: 'n', text: 'stopped here' }));
      var table = el('table', null, el('thead', null, head), el('tbody'));
      rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
      box.appendChild(table);
    });
    $('funnels-empty').hidden = f.fixes.length > 0;
  }

  // ---------- understanding inbox ----------

  function showInbox(data) {
    intents = data.intents;
    var list = $('inbox');
    clear(list);
    data.open.forEach(function (item) {
      var select = el('select', { 'aria-label': 'Intent it meant' }, el('option', { value: '', text: 'It meant…' }));
      intents.forEach(function (name) { select.appendChild(el('option', { value: name, text: name })); });
      if (item.readings[0]) select.value = item.readings[0].name;
      var save = el('button', { type: 'button', className: 'primary', text: 'Save label' });
      var dismiss = el('button', { type: 'button', text: 'Dismiss' });
      save.addEventListener('click', function () {
        if (!select.value) return;
        review(item.id, { label: select.value });
      });
      dismiss.addEventListener('click', function () { review(item.id, { dismiss: true }); });
      var readings = item.readings.map(function (r) { return r.name + ' ' + Math.round(r.confidence * 100) + '%'; }).join(', ');
      list.appendChild(el('li', null,
        el('span', { className: 'text', text: item.text }),
        el('span', { className: 'muted', text: reasonText(item.reason) + ' · read as ' + (readings || '—') + ' · ' + new Date(item.at).toLocaleString() }),
        el('span', { className: 'actions' }, select, save, dismiss)));
    });
    $('inbox-count').textContent = String(data.open.length);
    $('inbox-empty').hidden = data.open.length > 0;
    $('labelled-count').textContent = data.labelled.length ? data.labelled.length + ' labelled, waiting for the import.' : '';
  }

  function reasonText(reason) {
    return { below_route: 'unsure', fallback: 'not understood', rephrased: 'rephrased by the user' }[reason] || reason;
  }

  function review(id, verdict) {
    api('POST', '/admin/api/inbox/' + encodeURIComponent(id), verdict).then(loadInbox, failed);
  }

  // ---------- loading ----------

  function loadFigures() {
    $('csv').href = '/admin/api/figures.csv?since=' + encodeURIComponent(period());
    return api('GET', '/admin/api/figures?since=' + encodeURIComponent(period())).then(showFigures);
  }

  function loadInbox() {
    return api('GET', '/admin/api/inbox').then(showInbox);
  }

  function load() {
    $('error').hidden = true;
    return Promise.all([loadFigures(), loadInbox()]).then(function () { screen('dashboard'); }, failed);
  }

  $('period').addEventListener('change', function () { loadFigures().catch(failed); });

  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    $('signin-error').hidden = true;
    api('POST', '/agent/api/session', { name: $('signin-name').value.trim(), password: $('signin-password').value }).then(
      function () {
        $('signin-password').value = '';
        load();
      },
      function (err) {
        $('signin-error').textContent = err.status === 401 ? 'That name and password do not match an account.' : err.message;
        $('signin-error').hidden = false;
      },
    );
  });

  $('sign-out').addEventListener('click', function () {
    api('DELETE', '/agent/api/session').then(function () { screen('signin'); }, function () { screen('signin'); });
  });

  load();
})();
