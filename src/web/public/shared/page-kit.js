/*
 * What the bot's own pages (the agent console, the insights dashboard) share: building elements
 * whose text is only ever text (never parsed as HTML), and calling the bot's JSON API with the
 * console's CSRF header. Vanilla JS, no build step; loaded before each page's script.
 */
(function () {
  'use strict';

  /** An element with attributes and children; string children become text nodes (never parsed as HTML). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function ApiError(status, code, message, body) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.body = body || null;
  }

  /** fetch with the CSRF header on every non-GET; resolves to parsed JSON (or null for 204), rejects with ApiError. */
  function api(method, url, body) {
    var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') init.headers['X-Agent-Console'] = '1';
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(
      function (res) {
        if (res.status === 204) return null;
        return res.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (e) {
            data = null;
          }
          if (res.ok) return data;
          var err = (data && data.error) || {};
          throw new ApiError(res.status, err.code || 'HTTP_' + res.status, err.message || 'The server answered ' + res.status + '.', data);
        });
      },
      function () {
        throw new ApiError(0, 'NETWORK', 'The bot cannot be reached. Check the connection and try again.');
      },
    );
  }

  window.PageKit = { el: el, clear: clear, ApiError: ApiError, api: api };
})();
