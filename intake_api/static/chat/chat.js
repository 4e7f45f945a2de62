// Web chat for the complaints assistant. Talks to Rasa's REST channel.
// The conversation lives in sessionStorage: it survives a reload, not closing the browser.
(function () {
  "use strict";

  var SENDER_KEY = "ccChatSender";
  var LOG_KEY = "ccChatLog";

  var root = document.getElementById("chat");
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var sendButton = document.getElementById("chat-send");
  var typing = document.getElementById("typing");
  var status = document.getElementById("chat-status");
  var exitButton = document.getElementById("quick-exit");
  var webhook = root.getAttribute("data-rasa-url").replace(/\/$/, "") + "/webhooks/rest/webhook";
  var busy = false;

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
    var id = sessionStorage.getItem(SENDER_KEY);
    if (!id) {
      id = newSenderId();
      sessionStorage.setItem(SENDER_KEY, id);
    }
    return id;
  }

  function loadLog() {
    try {
      return JSON.parse(sessionStorage.getItem(LOG_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function saveLog(entries) {
    sessionStorage.setItem(LOG_KEY, JSON.stringify(entries));
  }

  function disableOldButtons() {
    var old = log.querySelectorAll(".quick-replies button");
    for (var i = 0; i < old.length; i++) {
      old[i].disabled = true;
    }
  }

  function render(entry, live) {
    var item = document.createElement("li");
    item.className = "msg msg-" + entry.from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = entry.from === "bot" ? "Helper said: " : "You said: ";
    item.appendChild(who);
    var text = document.createElement("p");
    text.textContent = entry.text || "";
    item.appendChild(text);
    if (entry.buttons && entry.buttons.length) {
      var group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Choose an answer");
      entry.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.disabled = !live;
        button.addEventListener("click", function () {
          send(b.payload, b.title);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end", behavior: "auto" });
  }

  function append(entry) {
    var entries = loadLog();
    entries.push(entry);
    saveLog(entries);
    render(entry, true);
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    sendButton.disabled = on;
    root.setAttribute("aria-busy", on ? "true" : "false");
  }

  function send(message, shown) {
    if (busy || !message) {
      return;
    }
    disableOldButtons();
    if (shown !== null) {
      append({ from: "user", text: shown || message });
    }
    setBusy(true);
    fetch(webhook, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message: message })
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (replies) {
        (replies || []).forEach(function (r) {
          if (r.text || (r.buttons && r.buttons.length)) {
            append({ from: "bot", text: r.text || "", buttons: r.buttons || [] });
          }
        });
        status.textContent = "";
      })
      .catch(function () {
        append({
          from: "bot",
          text: "Sorry, the chat is not working right now. Please try again in a minute."
        });
      })
      .then(function () {
        setBusy(false);
        input.focus();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) {
      return;
    }
    input.value = "";
    send(text);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  exitButton.addEventListener("click", function () {
    sessionStorage.removeItem(LOG_KEY);
    sessionStorage.removeItem(SENDER_KEY);
    log.innerHTML = "";
    window.location.replace(exitButton.getAttribute("data-exit-url"));
  });

  var previous = loadLog();
  previous.forEach(function (entry, i) {
    render(entry, i === previous.length - 1);
  });
  if (!previous.length) {
    send(root.getAttribute("data-greeting"), null);
  }
})();
