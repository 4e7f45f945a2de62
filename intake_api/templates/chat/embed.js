// The complaints chat, for a council or advocacy website. Add one element and one script:
//   <div id="council-complaints-chat"></div>
//   <script src="(this service)/chat/embed.js" data-target="council-complaints-chat" defer></script>
// The script loads the chat (script and styles) from the same place it came from, and the
// chat talks to the assistant (Rasa), which must allow the website's origin (rasa run --cors).
(function () {
  "use strict";
  var script = document.currentScript;
  var settings = {{ widget|tojson }};
  var chatScript = {{ chat_script|tojson }};

  function start() {
    var targetId = (script && script.getAttribute("data-target")) || "council-complaints-chat";
    var target = document.getElementById(targetId);
    if (!target) {
      return;
    }
    var base = script ? script.src : window.location.href;
    settings.stylesheet = new URL(settings.stylesheet, base).href;
    settings.mode = "embed";
    var mount = function () {
      window.CouncilComplaintsChat.mount(target, settings);
    };
    if (window.CouncilComplaintsChat) {
      mount();
      return;
    }
    var loader = document.createElement("script");
    loader.src = new URL(chatScript, base).href;
    loader.async = true;
    loader.addEventListener("load", mount);
    document.head.appendChild(loader);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
