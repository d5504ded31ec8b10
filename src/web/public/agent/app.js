/*
 * The agent console. Vanilla JS, no build step, no inline handlers (CSP: script-src 'self').
 * Everything a user or agent wrote is put on the page as text (textContent / text nodes), never as HTML.
 */
(function () {
  'use strict';

  var API = '/agent/api';
  var TYPING_EVERY_MS = 3000; // at most one "agent is typing" per 3 s while the agent types
  var TYPING_SHOWN_MS = 6000; // "user is typing" fades if no message follows
  var RETRY_MS = [1000, 2000, 5000, 10000];

  var $ = function (id) { return document.getElementById(id); };

  var state = {
    agent: null,
    waiting: [], // HandoffView[], each with receivedAt (ms) so its wait ticks locally
    mine: [],
    left: [],
    openId: null,
    open: null, // the open hand-off: HandoffView & { transcript, notes }
    unread: new Set(),
    source: null,
    retries: 0,
    lastTypingSent: 0,
    typingTimer: 0,
  };

  // ---------- small helpers ----------

  var el = window.PageKit.el;
  var clear = window.PageKit.clear;

  function show(node, visible) {
    node.hidden = !visible;
  }

  function waitText(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    if (s < 60) return s + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  }

  function timeText(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function channelName(channel) {
    var names = { directline: 'Web Chat', webchat: 'Web Chat', msteams: 'Teams', emulator: 'Emulator', terminal: 'Terminal' };
    return names[channel] || channel || '';
  }

  function currentWait(view) {
    return (view.waitSeconds || 0) + (Date.now() - (view.receivedAt || Date.now())) / 1000;
  }

  function stamp(views) {
    var now = Date.now();
    return (views || []).map(function (v) {
      v.receivedAt = now;
      return v;
    });
  }

  // ---------- HTTP ----------

  /** The console's API (src/web/public/shared/page-kit.js): parsed JSON, or an ApiError. */
  function api(method, path, body) {
    return window.PageKit.api(method, API + path, body);
  }


  // ---------- views: which screen ----------

  function screen(name) {
    show($('loading'), name === 'loading');
    show($('signin'), name === 'signin');
    show($('desk'), name === 'desk');
    var signedIn = name === 'desk';
    show($('who'), signedIn);
    show($('sign-out'), signedIn);
    if (!signedIn) {
      show($('conn'), false);
      show($('back'), false);
      document.body.classList.remove('detail-open');
    }
  }

  function banner(text, kind) {
    $('banner-text').textContent = text;
    $('banner').className = 'banner' + (kind === 'info' ? ' info' : '');
    show($('banner'), true);
  }

  function hideBanner() {
    show($('banner'), false);
  }

  function connection(text) {
    $('conn').textContent = text || '';
    show($('conn'), Boolean(text));
  }

  // ---------- sign-in ----------

  function signInError(text) {
    $('signin-error').textContent = text;
    show($('signin-error'), Boolean(text));
  }

  /** The sign-in screen; `reason` says why (signed out, session expired, no accounts configured). */
  function showSignIn(reason, disabled) {
    stopEvents();
    state.agent = null;
    screen('signin');
    signInError(reason || '');
    $('signin-name').disabled = Boolean(disabled);
    $('signin-password').disabled = Boolean(disabled);
    $('signin-submit').disabled = Boolean(disabled);
    if (!disabled) $('signin-name').focus();
  }

  var NO_ACCOUNTS = 'No agent accounts are configured on this bot, so nobody can sign in. ' +
    'An administrator sets AGENT_ACCOUNTS (see the README, "Agent console").';

  /** True when an answer says that sign-in is impossible because no accounts exist. */
  function noAccounts(err) {
    if (!err) return false;
    if (err.code === 'AGENT_NO_ACCOUNTS') return true;
    return /no agent accounts/i.test(err.message || '');
  }

  function onSignIn(event) {
    event.preventDefault();
    var name = $('signin-name').value.trim();
    var password = $('signin-password').value;
    if (!name || !password) return signInError('Enter your name and password.');
    $('signin-submit').disabled = true;
    signInError('');
    api('POST', '/session', { name: name, password: password }).then(
      function (data) {
        $('signin-password').value = '';
        $('signin-submit').disabled = false;
        startDesk(data.agent);
      },
      function (err) {
        $('signin-submit').disabled = false;
        $('signin-password').value = '';
        if (noAccounts(err)) return showSignIn(NO_ACCOUNTS, true);
        if (err.code === 'AGENT_LOGIN_THROTTLED') return signInError('Too many attempts. Wait a minute, then try again.');
        if (err.code === 'AGENT_LOGIN_FAILED') return signInError('That name and password do not match an agent account.');
        signInError(err.message);
      },
    );
  }

  function onSignOut() {
    api('DELETE', '/session').then(
      function () {
        showSignIn('You have signed out.');
      },
      function () {
        showSignIn('You have signed out.');
      },
    );
  }

  // ---------- the desk ----------

  function startDesk(agent) {
    state.agent = agent;
    $('who').textContent = agent.name + (agent.role === 'admin' ? ' (admin)' : '');
    screen('desk');
    hideBanner();
    refreshQueue();
    startEvents();
  }

  /** Any 401 means the session is gone: back to sign-in, saying why. */
  function handleAuth(err) {
    if (err && err.status === 401) {
      showSignIn('Your session has ended. Sign in again.');
      return true;
    }
    return false;
  }

  function refreshQueue() {
    return api('GET', '/queue').then(
      function (data) {
        state.waiting = stamp(data.waiting);
        state.mine = stamp(data.mine);
        state.left = stamp(data.left);
        renderLists();
      },
      function (err) {
        if (!handleAuth(err)) banner(err.message);
      },
    );
  }

  function listItem(view, kind) {
    var asked = (view.summary && view.summary.firstMessage) || '';
    var right = kind === 'waiting' ? el('span', { className: 'wait', 'data-wait-for': view.id, text: waitText(currentWait(view)) })
      : kind === 'left' ? el('span', { className: 'wait', text: timeText(view.endedAt || view.requestedAt) })
        : el('span', { className: 'wait', text: channelName(view.channel) });
    var label = kind === 'waiting' ? '#' + (view.position || '') + ' ' : '';
    var button = el(
      'button',
      {
        type: 'button',
        className: 'item' + (state.unread.has(view.id) ? ' unread' : ''),
        'data-id': view.id,
        'aria-current': state.openId === view.id ? 'true' : 'false',
      },
      el('span', { className: 'top' }, el('span', { text: label + (view.userName || 'User') }), right),
      el('span', { className: 'asked', text: kind === 'left' ? view.leftMessage || asked : asked }),
    );
    button.addEventListener('click', function () {
      openHandoff(view.id);
    });
    return el('li', null, button);
  }

  function renderList(kind, views) {
    var list = $(kind);
    clear(list);
    views.forEach(function (v) {
      list.appendChild(listItem(v, kind));
    });
    $(kind + '-count').textContent = String(views.length);
    show($(kind + '-empty'), views.length === 0);
  }

  function renderLists() {
    renderList('waiting', state.waiting);
    renderList('mine', state.mine);
    renderList('left', state.left);
    document.title = (state.waiting.length ? '(' + state.waiting.length + ') ' : '') + 'Agent console · WhatsApp backup help';
  }

  /** Wait times tick every second without asking the server. */
  function tick() {
    var spans = document.querySelectorAll('[data-wait-for]');
    for (var i = 0; i < spans.length; i++) {
      var id = spans[i].getAttribute('data-wait-for');
      var view = state.waiting.find(function (v) { return v.id === id; });
      if (view) spans[i].textContent = waitText(currentWait(view));
    }
    if (state.open && state.open.state === 'waiting') renderMeta();
  }

  // ---------- one hand-off ----------

  function openHandoff(id) {
    state.openId = id;
    state.unread.delete(id);
    document.body.classList.add('detail-open');
    show($('back'), true);
    renderLists();
    return loadOpen().then(function () {
      var heading = $('d-user');
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    });
  }

  function closeDetail() {
    state.openId = null;
    state.open = null;
    document.body.classList.remove('detail-open');
    show($('back'), false);
    show($('detail-body'), false);
    show($('detail-empty'), true);
    renderLists();
  }

  function loadOpen() {
    var id = state.openId;
    if (!id) return Promise.resolve();
    return api('GET', '/handoffs/' + encodeURIComponent(id)).then(
      function (data) {
        if (state.openId !== id) return;
        data.receivedAt = Date.now();
        state.open = data;
        renderOpen();
      },
      function (err) {
        if (handleAuth(err)) return;
        if (err.code === 'AGENT_FORBIDDEN') banner('Another agent is chatting with this user, so you cannot open it.');
        else if (err.code === 'HANDOFF_NOT_FOUND') banner('That request no longer exists.');
        else banner(err.message);
        closeDetail();
      },
    );
  }

  function isMine(view) {
    return Boolean(view && view.agent && state.agent && view.agent.id === state.agent.id);
  }

  function renderMeta() {
    var v = state.open;
    var parts = [channelName(v.channel)];
    if (v.state === 'waiting') parts.push('waiting ' + waitText(currentWait(v)) + (v.position ? ', number ' + v.position + ' in line' : ''));
    else parts.push('asked at ' + timeText(v.requestedAt));
    $('d-meta').textContent = parts.join(' · ');
  }

  var STATE_TEXT = {
    waiting: 'Waiting for an agent.',
    ended: 'This chat has ended; the user is back with the bot.',
    left: 'The user left before an agent joined.',
    timed_out: 'Nobody accepted in time; the user was offered the support links.',
    no_agents: 'No agent was available; the user was offered the support links.',
  };

  function renderStatus() {
    var v = state.open;
    var text = STATE_TEXT[v.state] || '';
    if (v.state === 'active') text = isMine(v) ? 'You are chatting with this user.' : 'In a chat with ' + ((v.agent && v.agent.name) || 'another agent') + '.';
    if (v.outcome) text += ' Outcome: ' + v.outcome + '.';
    $('d-status').textContent = text;
    show($('d-accept'), v.state === 'waiting');
    show($('d-end'), v.state === 'active' && isMine(v));
    show($('d-compose'), v.state === 'active' && isMine(v));
    if (v.state !== 'active') show($('d-typing'), false);
  }

  function summaryRow(dl, term, value) {
    if (value === undefined || value === null || value === '' || (value.length === 0 && typeof value !== 'string')) return;
    dl.appendChild(el('dt', { text: term }));
    dl.appendChild(typeof value === 'string' ? el('dd', { text: value }) : el('dd', null, value));
  }

  function fixesList(fixes) {
    var list = el('ol', { className: 'fixes' });
    fixes.forEach(function (fix) {
      var steps = el('ul', { className: 'steps' });
      (fix.steps || []).forEach(function (s) {
        steps.appendChild(el('li', { title: s.prompt || '' }, (s.step || '') + ': ', el('span', { className: 'answer', text: s.answer || '(no answer)' })));
      });
      list.appendChild(el('li', null, el('strong', { text: fix.title || fix.fix }), fix.outcome ? ' — ' + fix.outcome : '', steps));
    });
    return list;
  }

  function renderSummary() {
    var s = state.open.summary || {};
    var dl = $('d-summary');
    clear(dl);
    summaryRow(dl, 'Asked', s.firstMessage || '');
    summaryRow(dl, 'Fixes tried', s.fixesTried && s.fixesTried.length ? fixesList(s.fixesTried) : 'None');
    summaryRow(dl, 'Sizes', (s.sizes || []).join(', '));
    summaryRow(dl, 'Devices', (s.devices || []).join(', '));
    if (s.lastUserMessages && s.lastUserMessages.length) {
      var last = el('ul', { className: 'steps' });
      s.lastUserMessages.forEach(function (m) { last.appendChild(el('li', { text: m })); });
      summaryRow(dl, 'Last messages', last);
    }
  }

  function lineNode(line) {
    var who = line.from === 'user' ? state.open.userName || 'User'
      : line.from === 'agent' ? line.agentName || 'Agent'
        : line.from === 'bot' ? 'Bot' : 'System';
    var body = line.from === 'bot' || line.from === 'system' ? boldText(line.text) : [line.text];
    var node = el('li', { className: 'line ' + line.from }, el('span', { className: 'from', text: who + ' · ' + timeText(line.at) }));
    body.forEach(function (part) { node.appendChild(typeof part === 'string' ? document.createTextNode(part) : part); });
    return node;
  }

  /** The bot's own **bold** (its content is Markdown-ish), as <strong> elements holding text nodes; users' text never goes here. */
  function boldText(text) {
    return String(text).split(/\*\*(.+?)\*\*/).map(function (part, i) {
      return i % 2 === 1 ? el('strong', { text: part }) : part;
    });
  }

  function renderTranscript() {
    var list = $('d-transcript');
    clear(list);
    (state.open.transcript || []).forEach(function (line) { list.appendChild(lineNode(line)); });
    list.lastElementChild && list.lastElementChild.scrollIntoView({ block: 'nearest' });
  }

  function renderNotes() {
    var list = $('d-notes');
    clear(list);
    var notes = state.open.notes || [];
    notes.forEach(function (n) {
      list.appendChild(el('li', null, el('span', { className: 'from', text: n.agent + ' · ' + timeText(n.at) }), n.text));
    });
    $('d-notes-count').textContent = String(notes.length);
  }

  function renderOpen() {
    var v = state.open;
    show($('detail-empty'), false);
    show($('detail-body'), true);
    $('d-user').textContent = v.userName || 'User';
    renderMeta();
    renderStatus();
    renderSummary();
    $('d-left').textContent = v.leftMessage || '';
    show($('d-left-box'), Boolean(v.leftMessage));
    renderTranscript();
    renderNotes();
    show($('d-typing'), false);
  }

  function onAccept() {
    var id = state.openId;
    $('d-accept').disabled = true;
    api('POST', '/handoffs/' + encodeURIComponent(id) + '/accept').then(
      function () {
        $('d-accept').disabled = false;
        hideBanner();
        refreshQueue();
        return loadOpen().then(function () { $('d-text').focus(); });
      },
      function (err) {
        $('d-accept').disabled = false;
        if (handleAuth(err)) return;
        refreshQueue();
        if (err.code !== 'HANDOFF_CONFLICT') return banner(err.message);
        banner('Another agent accepted this request first.');
        // The request is another agent's now, so it can no longer be opened: keep what is on screen, without the actions.
        if (state.open && state.openId === id && state.open.state === 'waiting') {
          state.open.state = 'active';
          renderMeta();
          renderStatus();
        }
      },
    );
  }

  function onEnd() {
    var id = state.openId;
    $('d-end').disabled = true;
    api('POST', '/handoffs/' + encodeURIComponent(id) + '/end').then(
      function () {
        $('d-end').disabled = false;
        refreshQueue();
        loadOpen();
      },
      function (err) {
        $('d-end').disabled = false;
        if (!handleAuth(err)) banner(err.message);
      },
    );
  }

  function onSend(event) {
    event.preventDefault();
    var box = $('d-text');
    var text = box.value.trim();
    if (!text || !state.openId) return;
    box.disabled = true;
    api('POST', '/handoffs/' + encodeURIComponent(state.openId) + '/messages', { text: text }).then(
      function () {
        box.disabled = false;
        box.value = '';
        box.focus();
        state.lastTypingSent = 0;
      },
      function (err) {
        box.disabled = false;
        if (!handleAuth(err)) banner('Not sent: ' + err.message);
      },
    );
  }

  /** Enter sends, Shift+Enter is a new line. */
  function onComposeKey(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('d-compose').requestSubmit();
    }
  }

  function onTypingInput() {
    var now = Date.now();
    if (!state.openId || !$('d-text').value || now - state.lastTypingSent < TYPING_EVERY_MS) return;
    state.lastTypingSent = now;
    api('POST', '/handoffs/' + encodeURIComponent(state.openId) + '/typing').catch(function () { /* a lost typing signal does not matter */ });
  }

  function onNote(event) {
    event.preventDefault();
    var box = $('d-note');
    var text = box.value.trim();
    if (!text || !state.openId) return;
    var id = state.openId;
    api('POST', '/handoffs/' + encodeURIComponent(id) + '/notes', { text: text }).then(
      function () {
        box.value = '';
        if (state.open && state.openId === id) {
          state.open.notes = (state.open.notes || []).concat([{ agent: state.agent.name, text: text, at: new Date().toISOString() }]);
          renderNotes();
        }
      },
      function (err) {
        if (!handleAuth(err)) banner('Note not saved: ' + err.message);
      },
    );
  }

  // ---------- live feed (Server-Sent Events) ----------

  function stopEvents() {
    if (state.source) state.source.close();
    state.source = null;
  }

  function startEvents() {
    stopEvents();
    var source = new EventSource(API + '/events');
    state.source = source;
    source.addEventListener('open', function () {
      if (state.source !== source) return;
      var wasLost = state.retries > 0 || !$('conn').hidden;
      state.retries = 0;
      connection('');
      // Anything missed while disconnected: the queue comes as the first event; the open chat is reloaded.
      if (wasLost) loadOpen();
    });
    source.addEventListener('error', function () {
      if (state.source !== source) return;
      connection('Reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the server answered 401): find out why, then retry ourselves.
        stopEvents();
        api('GET', '/me').then(
          function () {
            var delay = RETRY_MS[Math.min(state.retries, RETRY_MS.length - 1)];
            state.retries += 1;
            setTimeout(function () { if (state.agent && !state.source) startEvents(); }, delay);
          },
          function (err) {
            if (handleAuth(err)) return;
            state.retries += 1;
            setTimeout(function () { if (state.agent && !state.source) startEvents(); }, RETRY_MS[RETRY_MS.length - 1]);
          },
        );
      } else {
        state.retries += 1;
      }
    });
    source.addEventListener('queue', function (e) { onFeed(e, onQueue); });
    source.addEventListener('message', function (e) { onFeed(e, onMessage); });
    source.addEventListener('typing', function (e) { onFeed(e, onTyping); });
    source.addEventListener('state', function (e) { onFeed(e, onState); });
  }

  function onFeed(e, handler) {
    var data;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    handler(data);
  }

  function onQueue(event) {
    state.waiting = stamp(event.waiting);
    renderLists();
    if (state.open && state.open.state === 'waiting') {
      var fresh = state.waiting.find(function (v) { return v.id === state.openId; });
      if (fresh) {
        state.open.position = fresh.position;
        state.open.waitSeconds = fresh.waitSeconds;
        state.open.receivedAt = fresh.receivedAt;
        renderMeta();
      }
    }
  }

  function onMessage(event) {
    if (state.open && event.handoffId === state.openId) {
      state.open.transcript = (state.open.transcript || []).concat([event.line]);
      var node = lineNode(event.line);
      $('d-transcript').appendChild(node);
      node.scrollIntoView({ block: 'nearest' });
      if (event.line.from === 'user') show($('d-typing'), false);
    } else if (event.line.from === 'user') {
      state.unread.add(event.handoffId);
      renderLists();
    }
  }

  function onTyping(event) {
    if (event.from !== 'user' || event.handoffId !== state.openId) return;
    show($('d-typing'), true);
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(function () { show($('d-typing'), false); }, TYPING_SHOWN_MS);
  }

  function onState(event) {
    var view = event.handoff;
    view.receivedAt = Date.now();
    var without = function (list) { return list.filter(function (v) { return v.id !== view.id; }); };
    state.mine = without(state.mine);
    if (view.state === 'active' && isMine(view)) state.mine.push(view);
    if (view.leftMessage && !state.left.some(function (v) { return v.id === view.id; })) state.left.unshift(view);
    renderLists();
    if (state.open && view.id === state.openId) {
      var before = state.open;
      var mineBefore = isMine(before);
      Object.keys(view).forEach(function (k) { before[k] = view[k]; });
      renderMeta();
      renderStatus();
      $('d-left').textContent = before.leftMessage || '';
      show($('d-left-box'), Boolean(before.leftMessage));
      if (view.state === 'active' && !isMine(view) && !mineBefore) banner((view.agent ? view.agent.name : 'Another agent') + ' accepted this request.', 'info');
    }
  }

  // ---------- start ----------

  function boot() {
    $('signin-form').addEventListener('submit', onSignIn);
    $('sign-out').addEventListener('click', onSignOut);
    $('back').addEventListener('click', closeDetail);
    $('banner-close').addEventListener('click', hideBanner);
    $('d-accept').addEventListener('click', onAccept);
    $('d-end').addEventListener('click', onEnd);
    $('d-compose').addEventListener('submit', onSend);
    $('d-text').addEventListener('keydown', onComposeKey);
    $('d-text').addEventListener('input', onTypingInput);
    $('d-note-form').addEventListener('submit', onNote);
    setInterval(tick, 1000);

    screen('loading');
    api('GET', '/me').then(
      function (data) {
        startDesk(data.agent);
      },
      function (err) {
        // 403 here: a cookie this server does not know (another instance, or sessions lost in a restart).
        if (err.status === 401 || err.code === 'AGENT_FORBIDDEN') {
          var body = err.body || {};
          var none = noAccounts(err) || body.accountsConfigured === false || (body.error && body.error.accountsConfigured === false);
          return showSignIn(none ? NO_ACCOUNTS : err.status === 403 ? 'Your session is no longer valid. Sign in again.' : '', none);
        }
        showSignIn(err.message);
      },
    );
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
