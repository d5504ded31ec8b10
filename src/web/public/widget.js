/*
 * The chat widget: one <script src="https://your-bot/widget.js"> tag adds a
 * launcher button that opens Bot Framework Web Chat, talking to this bot over
 * Direct Line. Options come from data- attributes on the script tag:
 *   data-title="Help"          header and ARIA label
 *   data-accent="#0a7c3e"      launcher, header and buttons colour
 *   data-position="bottom-left" (default bottom-right)
 *   data-bot-avatar="https://…/bot.png" or initials like "WA"
 *   data-open="true"           open on page load
 * The page never sees a secret: it asks the bot's /api/directline/token route.
 * Conversation id and token live in sessionStorage, so a reload (or another
 * page of the same site, in the same tab) resumes the same conversation.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__whatsappBackupWidget) return;
  window.__whatsappBackupWidget = true;

  var base = new URL('.', script.src).href.replace(/\/$/, '');
  var data = script.dataset;
  var options = {
    title: data.title || 'WhatsApp backup help',
    accent: /^#[0-9a-f]{3,8}$/i.test(data.accent || '') ? data.accent : '#0a7c3e',
    left: data.position === 'bottom-left',
    avatar: data.botAvatar || '',
    open: data.open === 'true',
    locale: data.locale || document.documentElement.lang || 'en-US',
  };
  var KEY = 'whatsapp-backup-widget:' + base;
  var state = read();
  var directLine = null;
  var starting = null;

  var css =
    '.wbw-launcher{position:fixed;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;' +
    'background:var(--wbw-accent);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;display:flex;' +
    'align-items:center;justify-content:center;padding:0}' +
    '.wbw-launcher:focus-visible,.wbw-min:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}' +
    '.wbw-launcher svg{width:28px;height:28px;fill:currentColor}' +
    '.wbw-panel{position:fixed;bottom:92px;z-index:2147483000;width:380px;height:min(620px,calc(100vh - 112px));' +
    'display:flex;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.3);font-family:system-ui,-apple-system,"Segoe UI",sans-serif}' +
    '.wbw-panel[hidden]{display:none}' +
    '.wbw-head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:10px 12px 10px 16px;' +
    'background:var(--wbw-accent);color:#fff}' +
    '.wbw-head h2{margin:0;font-size:16px;font-weight:600;line-height:1.3}' +
    '.wbw-min{border:0;background:transparent;color:#fff;width:36px;height:36px;border-radius:6px;cursor:pointer;font-size:22px;line-height:1}' +
    '.wbw-min:hover{background:rgba(255,255,255,.18)}' +
    '.wbw-body{flex:1;min-height:0}' +
    '.wbw-status{padding:16px;color:#444;font-size:14px}' +
    '.wbw-right{right:20px}.wbw-left{left:20px}' +
    '@media (max-width:480px){.wbw-panel{inset:0;width:100%;height:100%;height:100dvh;border-radius:0}' +
    '.wbw-open .wbw-launcher{display:none}}';

  var root = document.createElement('div');
  root.className = 'wbw-root';
  root.style.setProperty('--wbw-accent', options.accent);
  var side = options.left ? 'wbw-left' : 'wbw-right';
  root.innerHTML =
    '<style>' + css + '</style>' +
    '<section class="wbw-panel ' + side + '" id="wbw-panel" role="dialog" aria-labelledby="wbw-title" hidden>' +
    '<div class="wbw-head"><h2 id="wbw-title"></h2>' +
    '<button type="button" class="wbw-min" aria-label="Minimise chat" title="Minimise">&#8722;</button></div>' +
    '<div class="wbw-body"><p class="wbw-status" role="status">Connecting…</p></div></section>' +
    '<button type="button" class="wbw-launcher ' + side + '" aria-controls="wbw-panel" aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>' +
    '</button>';
  var panel = root.querySelector('.wbw-panel');
  var body = root.querySelector('.wbw-body');
  var launcher = root.querySelector('.wbw-launcher');
  root.querySelector('#wbw-title').textContent = options.title;
  launcher.setAttribute('aria-label', 'Open chat: ' + options.title);
  launcher.addEventListener('click', function () {
    panel.hidden ? open() : minimise();
  });
  root.querySelector('.wbw-min').addEventListener('click', minimise);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') minimise();
  });

  function mount() {
    document.body.appendChild(root);
    if (options.open || state.open) open();
  }
  document.body ? mount() : document.addEventListener('DOMContentLoaded', mount);

  function open() {
    panel.hidden = false;
    root.classList.add('wbw-open');
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', 'Minimise chat: ' + options.title);
    save({ open: true });
    (starting = starting || start()).then(focusSendBox, fail);
  }

  // Minimising only hides the panel: Web Chat and its connection stay, so nothing is lost.
  function minimise() {
    panel.hidden = true;
    root.classList.remove('wbw-open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat: ' + options.title);
    save({ open: false });
    launcher.focus();
  }

  function start() {
    return Promise.all([loadWebChat(), session()]).then(function (results) {
      var session = results[1];
      var WebChat = window.WebChat;
      directLine = WebChat.createDirectLine({
        token: session.token,
        domain: session.domain,
        // Only a resumed conversation passes its id: directlinejs then reconnects and replays the history.
        conversationId: session.resumed ? session.conversationId : undefined,
        webSocket: true,
      });
      var avatar = /^(https?:|\/)/.test(options.avatar)
        ? { botAvatarImage: options.avatar, botAvatarInitials: ' ' }
        : { botAvatarInitials: options.avatar || undefined };
      body.textContent = '';
      WebChat.renderWebChat(
        {
          directLine: directLine,
          // No userID: the token carries it ("dl_" ids are reserved for that), and Web Chat would warn.
          locale: options.locale,
          styleOptions: Object.assign(
            {
              accent: options.accent,
              hideUploadButton: true,
              suggestedActionLayout: 'flow',
              suggestedActionBorderColor: options.accent,
              suggestedActionTextColor: options.accent,
              rootHeight: '100%',
              bubbleBorderRadius: 10,
              bubbleFromUserBorderRadius: 10,
            },
            avatar,
          ),
        },
        body,
      );
    });
  }

  /** The stored conversation if its token still refreshes, else a new one from the bot's token route. */
  function session() {
    var fresh = function () {
      return post(base + '/api/directline/token').then(function (t) {
        save({ token: t.token, conversationId: t.conversationId, userId: t.userId, domain: t.domain });
        return { token: t.token, conversationId: t.conversationId, userId: t.userId, domain: t.domain, resumed: false };
      });
    };
    if (!state.token || !state.conversationId || !state.domain) return fresh();
    return post(state.domain + '/tokens/refresh', state.token).then(function (t) {
      save({ token: t.token });
      return { token: t.token, conversationId: state.conversationId, userId: state.userId, domain: state.domain, resumed: true };
    }, fresh);
  }

  function loadWebChat() {
    if (window.WebChat) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var tag = document.createElement('script');
      tag.src = base + '/webchat/webchat.js';
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error('Could not load Web Chat'));
      };
      document.head.appendChild(tag);
    });
  }

  function post(url, bearer) {
    var headers = bearer ? { Authorization: 'Bearer ' + bearer } : {};
    return fetch(url, { method: 'POST', headers: headers }).then(function (response) {
      if (!response.ok) throw new Error(url + ' answered ' + response.status);
      return response.json();
    });
  }

  function focusSendBox() {
    setTimeout(function () {
      var input = panel.querySelector('[data-id="webchat-sendbox-input"], .webchat__send-box-text-box__input');
      if (input && !panel.hidden) input.focus();
    }, 50);
  }

  function fail(error) {
    starting = null;
    body.innerHTML = '<p class="wbw-status" role="alert"></p>';
    body.firstChild.textContent = 'Sorry, the chat could not start (' + error.message + '). Please try again in a moment.';
  }

  // directlinejs refreshes its token every 15 minutes; keep the newest one for the next page load.
  window.addEventListener('pagehide', function () {
    if (directLine && typeof directLine.token === 'string') save({ token: directLine.token });
  });

  function read() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || '{}') || {};
    } catch (e) {
      return {};
    }
  }

  function save(patch) {
    state = Object.assign({}, state, patch);
    try {
      sessionStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      /* storage off (private mode): the chat still works, it just won't resume */
    }
  }
})();
