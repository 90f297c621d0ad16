// The one snippet a school pastes:
//   <script src="https://<our host>/embed.js" data-school="<key>" async></script>
// It adds a "Need help?" button that opens the chat in an iframe from our origin, so nothing on
// the school's page can read the conversation. Quick exit (the widget's button, or Shift
// pressed three times on the school's page or in the chat) replaces the WHOLE page.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }
  var school = script.getAttribute("data-school");
  var chatOrigin = new URL(script.src, window.location.href).origin;
  var DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather";
  var exitUrl = httpsOnly(script.getAttribute("data-exit-url")) || DEFAULT_EXIT_URL;
  if (!school) {
    console.error("Help chat: the snippet needs data-school=\"your school's key\".");
    return;
  }

  function httpsOnly(url) {
    return typeof url === "string" && url.indexOf("https://") === 0 ? url : null;
  }

  // Phones, and desktops zoomed to 200% or more: the chat takes the whole window.
  var narrow = window.matchMedia("(max-width: 480px), (max-height: 500px)");
  var frame = null;

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.textContent = "Need help? Chat";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-haspopup", "dialog");
  setStyle(launcher, {
    position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483646",
    padding: "12px 18px", minHeight: "48px", border: "2px solid #ffffff", borderRadius: "24px",
    background: "#12436d", color: "#ffffff", font: "bold 16px/1.2 system-ui, sans-serif",
    boxShadow: "0 2px 8px rgba(0,0,0,.35)", cursor: "pointer"
  });

  function setStyle(element, styles) {
    Object.keys(styles).forEach(function (name) { element.style[name] = styles[name]; });
  }

  function place() {
    if (!frame) { return; }
    var viewport = window.visualViewport;
    if (narrow.matches) {
      // Full screen on phones, sized to the visible area so the keyboard never covers the input.
      setStyle(frame, { top: "0", left: "0", right: "auto", bottom: "auto", width: "100vw", borderRadius: "0",
        height: (viewport ? viewport.height : window.innerHeight) + "px" });
    } else {
      setStyle(frame, { top: "auto", left: "auto", right: "16px", bottom: "80px", borderRadius: "12px",
        width: "min(400px, calc(100vw - 32px))", height: "min(640px, calc(100vh - 112px))" });
    }
  }

  function createFrame() {
    frame = document.createElement("iframe");
    frame.src = chatOrigin + "/chat/" + encodeURIComponent(school);
    frame.title = "Help chat";
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups " +
      "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation");
    setStyle(frame, { position: "fixed", zIndex: "2147483647", boxSizing: "border-box", border: "1px solid #0b0c0c",
      background: "#ffffff", boxShadow: "0 4px 24px rgba(0,0,0,.4)" });
    place();
    document.body.appendChild(frame);
    frame.addEventListener("load", focusChat);
  }

  function focusChat() {
    frame.focus();
    frame.contentWindow.postMessage({ type: "help-chat:focus" }, chatOrigin);
  }

  function openChat() {
    if (!frame) { createFrame(); } else { frame.hidden = false; focusChat(); }
    launcher.setAttribute("aria-expanded", "true");
    if (narrow.matches) { launcher.hidden = true; }
  }

  function closeChat() {
    if (frame) { frame.hidden = true; }
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function quickExit(url) {
    if (frame) { frame.remove(); }
    launcher.remove();
    // replace(): the school page leaves the history, so Back does not return to it.
    window.location.replace(httpsOnly(url) || exitUrl);
  }

  launcher.addEventListener("click", function () {
    if (frame && !frame.hidden) { closeChat(); } else { openChat(); }
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== chatOrigin || !frame || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (data.type === "help-chat:exit") { quickExit(data.url); }
    if (data.type === "help-chat:close") { closeChat(); }
  });

  // Shift pressed three times in a row on the school's page; any other key resets.
  var shiftPresses = 0;
  var shiftTimer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && frame && !frame.hidden) { closeChat(); return; }
    if (event.key !== "Shift") { shiftPresses = 0; return; }
    if (event.repeat) { return; }
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(function () { shiftPresses = 0; }, 5000);
    if (shiftPresses >= 3) { quickExit(exitUrl); }
  });

  window.addEventListener("resize", place);
  if (window.visualViewport) { window.visualViewport.addEventListener("resize", place); }

  function start() { document.body.appendChild(launcher); }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
