// The complaints chat widget. Talks to Rasa's REST channel; no third-party code.
//
// One widget serves both the /chat page and the embed snippet (/chat/embed.js). It is built
// inside a shadow root so a council website's styles cannot break it, nor it theirs.
// The conversation lives in sessionStorage: it survives a reload, not closing the browser,
// and "Leave this site" (or Esc pressed twice) wipes it and replaces the page.
(function () {
  "use strict";

  if (window.CouncilComplaintsChat) {
    return;
  }

  var SENDER_KEY = "ccChatSender";
  var LOG_KEY = "ccChatLog";
  var ESC_TWICE_MS = 1500;
  var REPLY_TIMEOUT_MS = 90000;
  var REFERENCE = /\bCC-[A-Z0-9]{4}-[A-Z0-9]{4}\b/g;

  // sessionStorage can be missing or refuse writes (blocked storage, private modes):
  // the chat still works, it just does not survive a reload.
  var memory = {};
  var store = {
    get: function (key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch (e) {
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      }
    },
    set: function (key, value) {
      memory[key] = value;
      try {
        window.sessionStorage.setItem(key, value);
      } catch (e) { /* kept in memory only */ }
    },
    forget: function () {
      memory = {};
      try {
        window.sessionStorage.removeItem(LOG_KEY);
        window.sessionStorage.removeItem(SENDER_KEY);
      } catch (e) { /* nothing stored */ }
    }
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function newSenderId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function senderId() {
    var id = store.get(SENDER_KEY);
    if (!id) {
      id = newSenderId();
      store.set(SENDER_KEY, id);
    }
    return id;
  }

  function loadLog() {
    try {
      var entries = JSON.parse(store.get(LOG_KEY) || "[]");
      return Array.isArray(entries) ? entries : [];
    } catch (e) {
      return [];
    }
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // Text with case references in bold; never HTML, so nothing a person types can run.
  function fillText(node, text) {
    var last = 0;
    text.replace(REFERENCE, function (match, offset) {
      node.appendChild(document.createTextNode(text.slice(last, offset)));
      node.appendChild(el("strong", { "class": "ccc-reference" }, match));
      last = offset + match.length;
      return match;
    });
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  var quickExitTarget = null;
  var lastEscape = 0;

  function onKeydown(event) {
    if (event.key !== "Escape" || !quickExitTarget) {
      return;
    }
    var now = Date.now();
    if (now - lastEscape <= ESC_TWICE_MS) {
      quickExitTarget();
    }
    lastEscape = now;
  }

  /**
   * Build the chat inside `host` (an element). `options`:
   *   rasaUrl       where Rasa's REST channel is (its /webhooks/rest/webhook is called)
   *   quickExitUrl  the neutral page "Leave this site" goes to
   *   stylesheet    URL of chat.css
   *   mode          "page" (the /chat page: a level-1 heading, a sticky bar) or "embed"
   *   text          the widget's words (intake_api/chat/wording.py)
   */
  function mount(host, options) {
    if (!host || host.getAttribute("data-ccc-mounted")) {
      return null;
    }
    host.setAttribute("data-ccc-mounted", "true");
    var text = options.text || {};
    var mode = options.mode === "page" ? "page" : "embed";
    var webhook = String(options.rasaUrl || "").replace(/\/$/, "") + "/webhooks/rest/webhook";
    var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

    var widget = el("section", { "class": "ccc ccc-" + mode, "aria-labelledby": "ccc-title" });
    if (options.stylesheet) {
      shadow.appendChild(el("link", { rel: "stylesheet", href: options.stylesheet }));
    }

    var bar = el("div", { "class": "ccc-bar" });
    bar.appendChild(el(mode === "page" ? "h1" : "h2", { id: "ccc-title", "class": "ccc-title" },
      text.title));
    var exitButton = el("button", { type: "button", "class": "ccc-exit" }, text.exit);
    bar.appendChild(exitButton);
    widget.appendChild(bar);

    var body = el("div", { "class": "ccc-body" });
    body.appendChild(el("p", { "class": "ccc-exit-hint" }, text.exit_hint));
    var privacy = el("details", { "class": "ccc-privacy" });
    privacy.appendChild(el("summary", {}, text.privacy_summary));
    String(text.privacy || "").split("\n").forEach(function (line) {
      privacy.appendChild(el("p", {}, line));
    });
    body.appendChild(privacy);

    // The log region wraps the list: a role on the <ol> itself would hide its list items.
    var region = el("div", {
      "class": "ccc-log-region", role: "log", "aria-live": "polite", "aria-label": text.log_label
    });
    var log = el("ol", { "class": "ccc-log" });
    region.appendChild(log);
    body.appendChild(region);

    var typing = el("div", { "class": "ccc-typing", role: "status" });
    body.appendChild(typing);

    var form = el("form", { "class": "ccc-form", autocomplete: "off", novalidate: "" });
    form.appendChild(el("label", { "for": "ccc-input", "class": "ccc-label" }, text.input_label));
    var row = el("div", { "class": "ccc-row" });
    var input = el("textarea", {
      id: "ccc-input", name: "message", rows: "2", maxlength: "20000",
      "aria-describedby": "ccc-hint", autocapitalize: "sentences", spellcheck: "true"
    });
    var sendButton = el("button", { type: "submit", "class": "ccc-send" }, text.send);
    row.appendChild(input);
    row.appendChild(sendButton);
    form.appendChild(row);
    form.appendChild(el("p", { id: "ccc-hint", "class": "ccc-hint" }, text.input_hint));
    body.appendChild(form);
    widget.appendChild(body);

    var busy = false;
    var counter = 0;

    function render(entry, live) {
      var item = el("li", { "class": "ccc-msg ccc-msg-" + (entry.from === "user" ? "user" : "bot") });
      item.appendChild(el("span", { "class": "ccc-visually-hidden" },
        (entry.from === "user" ? text.you_said : text.helper_said) + " "));
      var id = "ccc-msg-" + (counter += 1);
      var bubble = el("p", { id: id, "class": "ccc-bubble" });
      fillText(bubble, entry.text || "");
      item.appendChild(bubble);
      if (live && entry.buttons && entry.buttons.length) {
        var group = el("div", { "class": "ccc-replies", role: "group", "aria-labelledby": id });
        entry.buttons.forEach(function (b) {
          var button = el("button", { type: "button", "class": "ccc-reply" }, b.title);
          button.addEventListener("click", function () {
            send(b.payload, b.silent ? null : b.title, true);
          });
          group.appendChild(button);
        });
        item.appendChild(group);
      }
      log.appendChild(item);
      return item;
    }

    function append(entry) {
      var entries = loadLog();
      entries.push(entry);
      store.set(LOG_KEY, JSON.stringify(entries));
      return render(entry, true);
    }

    function setBusy(on) {
      busy = on;
      widget.setAttribute("aria-busy", on ? "true" : "false");
      sendButton.setAttribute("aria-disabled", on ? "true" : "false");
      typing.textContent = "";
      if (on) {
        var dots = el("span", { "class": "ccc-dots", "aria-hidden": "true" });
        dots.appendChild(el("span"));
        dots.appendChild(el("span"));
        dots.appendChild(el("span"));
        typing.appendChild(dots);
        typing.appendChild(el("span", {}, text.typing));
      }
    }

    function reveal(item) {
      item.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" });
    }

    function send(message, shown, byButton) {
      if (busy) {
        typing.textContent = text.wait;
        return;
      }
      if (!message) {
        return;
      }
      // With a shadow root, document.activeElement is the host while focus is inside.
      var hadFocus = host.contains(document.activeElement);
      var oldGroups = log.querySelectorAll(".ccc-replies");
      if (shown !== null && shown !== undefined) {
        reveal(append({ from: "user", text: shown }));
      }
      setBusy(true);
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? window.setTimeout(function () { controller.abort(); },
        REPLY_TIMEOUT_MS) : null;
      fetch(webhook, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message: message }),
        credentials: "omit",
        referrerPolicy: "no-referrer",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (replies) {
          var items = [];
          (Array.isArray(replies) ? replies : []).forEach(function (r) {
            if (r && (r.text || (r.buttons && r.buttons.length))) {
              items.push(append({ from: "bot", text: r.text || "", buttons: r.buttons || [] }));
            }
          });
          return items;
        })
        .catch(function () {
          return [append({
            from: "bot",
            text: text.error,
            buttons: [{ title: text.retry, payload: message, silent: true }]
          })];
        })
        .then(function (items) {
          if (timer) {
            window.clearTimeout(timer);
          }
          setBusy(false);
          // Focus follows the way the person answered: a tapped button leads to the next
          // buttons (or the message box); typing keeps them in the message box.
          if (hadFocus) {
            var buttons = log.querySelectorAll(".ccc-replies");
            var newest = buttons.length ? buttons[buttons.length - 1] : null;
            var fresh = newest && Array.prototype.indexOf.call(oldGroups, newest) === -1;
            if (byButton && fresh) {
              newest.querySelector("button").focus();
            } else {
              input.focus();
            }
          }
          Array.prototype.forEach.call(oldGroups, function (group) {
            group.parentNode.removeChild(group);
          });
          if (items.length) {
            reveal(items[0]);
          }
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = input.value.trim();
      if (!message) {
        input.focus();
        return;
      }
      if (busy) {
        typing.textContent = text.wait;
        return;
      }
      input.value = "";
      send(message, message, false);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.dispatchEvent(new Event("submit", { cancelable: true }));
        }
      }
    });

    function quickExit() {
      quickExitTarget = null;
      store.forget();
      while (shadow.firstChild) {
        shadow.removeChild(shadow.firstChild);
      }
      window.location.replace(options.quickExitUrl || "about:blank");
    }
    exitButton.addEventListener("click", quickExit);
    quickExitTarget = quickExit;

    if (mode === "page") {
      // Keep what has focus from hiding under the sticky bar (WCAG 2.4.11).
      var pad = function () {
        document.documentElement.style.scrollPaddingTop = bar.offsetHeight + 8 + "px";
      };
      if (window.ResizeObserver) {
        new ResizeObserver(pad).observe(bar);
      }
      pad();
    }

    // Earlier messages go in before the widget is shown, so screen readers do not
    // read the whole conversation out again after a reload.
    var previous = loadLog();
    var lastUser = -1;
    previous.forEach(function (entry, i) {
      if (entry.from === "user") {
        lastUser = i;
      }
    });
    previous.forEach(function (entry, i) {
      render(entry, i > lastUser);
    });
    shadow.appendChild(widget);
    if (previous.length) {
      log.lastChild.scrollIntoView({ block: "nearest" });
    } else {
      send("/greet", null, false);
    }
    return { quickExit: quickExit };
  }

  document.addEventListener("keydown", onKeydown, true);
  window.CouncilComplaintsChat = { mount: mount };

  // The /chat page names its element and passes settings in a data attribute.
  var pageHost = document.querySelector("[data-ccc-config]");
  if (pageHost) {
    mount(pageHost, JSON.parse(pageHost.getAttribute("data-ccc-config")));
  }
})();
