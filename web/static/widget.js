// The pupil's chat. Runs inside the school's iframe (or on its own page).
// Safety rules kept here: bot text is only ever set with textContent; links come from the
// relay, which takes them from the service registry, and only https: and tel: are shown;
// quick exit wipes the chat and replaces the whole page; nothing is loaded from other hosts.
// The conversation id lives in this page's memory only: nothing is stored in the browser, so
// closing the tab, a quick exit or leaving the school's page ends the conversation.
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("settings").textContent);
  var LEGACY_STORAGE_KEY = "help-chat:" + settings.school;   // where older versions kept the id
  var REQUEST_TIMEOUT_MS = settings.timeoutMs || 8000;
  var STILL_HERE_MS = settings.stillHereMs || 3000;
  var framed = window.parent !== window;

  var scroller = document.getElementById("conversation");
  var log = document.getElementById("messages");
  var aboutLead = document.getElementById("about-lead");
  var aboutMore = document.getElementById("about-more");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var typing = document.getElementById("typing");
  var typingText = document.getElementById("typing-text");
  var helpCard = document.getElementById("help-card");
  var helpCardTitle = document.getElementById("help-card-title");
  var formError = document.getElementById("form-error");
  var exitHint = document.getElementById("exit-hint");
  var conversationId = null;

  // --- conversation id: random, in memory only ---
  function newConversationId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function forgetConversation() {
    conversationId = null;
    try { window.sessionStorage.removeItem(LEGACY_STORAGE_KEY); } catch (e) { /* storage blocked: nothing kept */ }
  }

  // --- rendering: text only, never HTML ---
  function safeHref(href) {
    return typeof href === "string" && (href.indexOf("https://") === 0 || href.indexOf("tel:") === 0);
  }

  // The text, with each registry number and address in it made a link where it stands: a web
  // address appears once, as a link, and a phone number is a tap target.
  function appendTextWithLinks(parent, text, links) {
    var spots = [];
    links.forEach(function (link) {
      var shown = link.href.indexOf("tel:") === 0 ? (link.label.split(": ").pop() || "") : link.href;
      var at = shown ? text.indexOf(shown) : -1;
      while (at >= 0) {
        spots.push({ at: at, end: at + shown.length, link: link });
        at = text.indexOf(shown, at + shown.length);
      }
    });
    spots.sort(function (a, b) { return a.at - b.at; });
    var position = 0;
    spots.forEach(function (spot) {
      if (spot.at < position) { return; }
      parent.appendChild(document.createTextNode(text.slice(position, spot.at)));
      var a = document.createElement("a");
      a.href = spot.link.href;
      a.textContent = text.slice(spot.at, spot.end);
      // The accessible name starts with what is shown, then says what the link does.
      a.setAttribute("aria-label", a.textContent + ", " + spot.link.label);
      if (spot.link.href.indexOf("https://") === 0) {
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
      parent.appendChild(a);
      position = spot.end;
    });
    parent.appendChild(document.createTextNode(text.slice(position)));
  }

  function renderMessage(message, from) {
    var item = document.createElement("div");
    item.className = "message message-" + from;
    var text = document.createElement("p");
    text.className = "message-text";
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = from === "user" ? "You said: " : "Assistant: ";
    text.appendChild(who);
    appendTextWithLinks(text, String(message.text || ""),
                        (message.links || []).filter(function (link) { return safeHref(link.href); }));
    item.appendChild(text);

    if ((message.buttons || []).length) {
      var group = document.createElement("div");
      group.className = "message-buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Quick replies");
      message.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "quick-reply";
        b.textContent = button.title;
        // After a quick reply, the keyboard (and a screen reader) goes on from the new reply.
        b.addEventListener("click", function () { send(button.payload, button.title, true); });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    return item;
  }

  // The pupil's own message: show the end of the chat, where it and "typing" are.
  function renderUserMessage(text) {
    var item = renderMessage({ text: text }, "user");
    scrollToShow(item);
  }

  function renderAll(messages) {
    var first = null;
    (messages || []).forEach(function (m) {
      var item = renderMessage(m, "bot");
      first = first || item;
    });
    return first;
  }

  // A new reply is read from its start (the crisis number comes first), however long it is:
  // its first message goes to the top of the conversation area, and can take the focus.
  function showReply(messages, takeFocus) {
    var first = renderAll(messages);
    if (!first) { return; }
    first.setAttribute("tabindex", "-1");
    showFromTop(first);
    if (takeFocus) { first.focus({ preventScroll: true }); }
  }

  function scrollsItself() {
    return scroller.scrollHeight > scroller.clientHeight && window.getComputedStyle(scroller).overflowY !== "visible";
  }

  function showFromTop(item) {
    var padding = parseFloat(window.getComputedStyle(scroller).paddingTop) || 0;
    if (scrollsItself()) {
      scroller.scrollTop += item.getBoundingClientRect().top - scroller.getBoundingClientRect().top - padding;
      return;
    }
    // Short windows (widget.css): the conversation area does not scroll, the page does, under the
    // sticky header.
    var header = document.querySelector(".chat-title");
    var covered = header && window.getComputedStyle(header).position === "sticky" ? header.offsetHeight : 0;
    window.scrollTo(0, window.pageYOffset + item.getBoundingClientRect().top - covered - padding);
  }

  function scrollToShow(item) {
    if (scrollsItself()) {
      scroller.scrollTop = scroller.scrollHeight;
    } else {
      item.scrollIntoView({ block: "nearest" });
    }
  }

  function showGreeting() {
    renderAll(settings.greeting);
  }

  // --- "typing", then "still here" if the answer is slow ---
  var stillHereTimer = null;
  function setBusy(busy) {
    clearTimeout(stillHereTimer);
    typingText.textContent = "The assistant is typing";
    typing.hidden = !busy;
    sendButton.disabled = busy;
    log.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) {
      stillHereTimer = setTimeout(function () {
        typingText.textContent = "Still here. The reply is taking longer than usual.";
      }, STILL_HERE_MS);
    }
  }

  function showError(text) {
    formError.textContent = text || "";
  }

  function showHelpCard(title) {
    helpCardTitle.textContent = title;
    helpCard.hidden = false;
  }

  // --- talking to the relay ---
  function send(text, shownAs, focusOnReply) {
    if (!conversationId) { conversationId = newConversationId(); }
    // The conversation has started: the notes fold away to one line ("About this chat").
    aboutLead.hidden = true;
    aboutMore.open = false;
    showError("");
    renderUserMessage(shownAs || text);
    setBusy(true);
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(settings.relay, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: conversationId, school: settings.school, message: text }),
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (result) {
      if (!result.ok) {
        showError(result.body.error ? result.body.error.message : "Sorry, that message couldn't be sent.");
        // Refused (too many messages, too long): the chat is answering, so the card says only where help is.
        showHelpCard(result.status === 429 ? "While you wait, you can still get help:" : "You can still get help:");
      } else if (result.body.fallback) {
        showHelpCard("The chat isn't answering right now. You can still get help:");
      } else {
        helpCard.hidden = true;
      }
      showReply(result.body.messages, focusOnReply);
      return result.ok;
    }).catch(function () {
      // Network down, too slow or not JSON: the helplines, never a blank chat.
      showError("Sorry, the chat isn't answering right now.");
      showHelpCard("The chat isn't answering right now. You can still get help:");
      showReply(settings.unavailable, focusOnReply);
      return false;
    }).finally(function () {
      clearTimeout(timer);
      setBusy(false);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      showError("Please type a message first.");
      input.focus();
      return;
    }
    input.value = "";
    send(text).then(function (ok) {
      if (!ok && !input.value) { input.value = text; }   // nothing is lost when sending fails
      input.focus();
    });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // --- clear chat: a new conversation, nothing of the old one left on screen ---
  document.getElementById("clear-chat").addEventListener("click", function () {
    forgetConversation();
    log.replaceChildren();
    helpCard.hidden = true;
    aboutLead.hidden = false;
    showError("");
    input.value = "";
    showGreeting();
    input.focus();
  });

  // --- quick exit: wipe the chat, then replace the whole page (the school's too) ---
  function quickExit() {
    forgetConversation();
    log.replaceChildren();
    input.value = "";
    document.title = "";
    if (!framed) {
      window.location.replace(settings.exitUrl);
      return;
    }
    // The embed script replaces the school's page at once. Should it not answer (a school that
    // framed the chat without it), move the top page ourselves, or at least this frame.
    window.parent.postMessage({ type: "help-chat:exit", url: settings.exitUrl }, "*");
    setTimeout(function () {
      try { window.top.location.replace(settings.exitUrl); } catch (e) { window.location.replace(settings.exitUrl); }
    }, 300);
  }
  document.getElementById("quick-exit").addEventListener("click", quickExit);

  // Shift pressed three times in a row (as GOV.UK's "Exit this page"), with feedback on each
  // press; any other key resets. The hint shows only where there is a keyboard: a fine pointer
  // (a mouse or trackpad), or once a Shift key has been pressed.
  var HINT = "To leave fast, press Shift 3 times.";
  var keyboard = window.matchMedia("(any-pointer: fine)");
  function showHint() { exitHint.hidden = false; }
  if (keyboard.matches) { showHint(); }
  keyboard.addEventListener("change", function () { if (keyboard.matches) { showHint(); } });

  var shiftPresses = 0;
  var shiftTimer = null;
  function resetShift() {
    shiftPresses = 0;
    exitHint.textContent = HINT;
    exitHint.classList.remove("counting");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { if (shiftPresses) { resetShift(); } return; }
    if (event.repeat) { return; }
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(resetShift, 5000);
    showHint();
    exitHint.classList.add("counting");
    if (shiftPresses >= 3) {
      exitHint.textContent = "Leaving this page.";
      quickExit();
      return;
    }
    var left = 3 - shiftPresses;
    exitHint.textContent = "Shift pressed " + shiftPresses + (shiftPresses === 1 ? " time" : " times") +
      ": press it " + left + " more " + (left === 1 ? "time" : "times") + " to leave.";
  });

  // --- inside a school's page: a close button, and focus when opened ---
  if (framed) {
    var close = document.getElementById("close-chat");
    close.hidden = false;
    close.addEventListener("click", function () {
      window.parent.postMessage({ type: "help-chat:close" }, "*");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { window.parent.postMessage({ type: "help-chat:close" }, "*"); }
    });
    window.addEventListener("message", function (event) {
      if (event.source === window.parent && event.data && event.data.type === "help-chat:focus") {
        input.focus();
      }
    });
  }

  document.documentElement.style.setProperty("--accent", document.body.getAttribute("data-accent"));
  forgetConversation();   // an id an older version kept in this tab's storage goes now
  showGreeting();
})();
