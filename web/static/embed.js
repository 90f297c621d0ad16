// The one snippet a school pastes:
//   <script src="https://<our host>/embed.js" data-school="<key>" async></script>
// It adds a "Need help?" button that opens the chat in an iframe from our origin, so nothing on
// the school's page can read the conversation. The button is the first stop for the keyboard on
// the school's page (the chat follows it), though it shows in the corner. Quick exit (the
// widget's button, or Shift pressed three times on the school's page or in the chat) removes the
// chat, and with it the conversation, and replaces the WHOLE page.
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
    launcher.insertAdjacentElement("afterend", frame);   // Tab goes from the button into the chat
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

  // Shift pressed three times in a row on the school's page, with feedback on each press beside
  // the button (as GOV.UK's "Exit this page"); any other key resets.
  var feedback = document.createElement("p");
  feedback.setAttribute("role", "status");
  feedback.hidden = true;
  setStyle(feedback, {
    position: "fixed", right: "16px", bottom: "72px", zIndex: "2147483646", margin: "0", padding: "8px 12px",
    background: "#0b0c0c", color: "#ffffff", font: "bold 16px/1.3 system-ui, sans-serif", borderRadius: "6px"
  });
  var shiftPresses = 0;
  var shiftTimer = null;
  function resetShift() {
    shiftPresses = 0;
    feedback.hidden = true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && frame && !frame.hidden) { closeChat(); return; }
    if (event.key !== "Shift") { if (shiftPresses) { resetShift(); } return; }
    if (event.repeat) { return; }
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(resetShift, 5000);
    feedback.hidden = false;
    if (shiftPresses >= 3) {
      feedback.textContent = "Leaving this page.";
      quickExit(exitUrl);
      return;
    }
    var left = 3 - shiftPresses;
    feedback.textContent = "Shift pressed " + shiftPresses + (shiftPresses === 1 ? " time" : " times") +
      ": press it " + left + " more " + (left === 1 ? "time" : "times") + " to leave.";
  });

  window.addEventListener("resize", place);
  if (window.visualViewport) { window.visualViewport.addEventListener("resize", place); }

  function start() {
    document.body.insertBefore(launcher, document.body.firstChild);
    document.body.appendChild(feedback);
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
