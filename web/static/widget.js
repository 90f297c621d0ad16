// The pupil's chat. Runs inside the school's iframe (or on its own page).
// Safety rules kept here: bot text is only ever set with textContent; links come from the
// relay, which takes them from the service registry, and only https: and tel: are shown;
// quick exit wipes the chat and replaces the whole page; nothing is loaded from other hosts.
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("settings").textContent);
  var STORAGE_KEY = "help-chat:" + settings.school;
  var REQUEST_TIMEOUT_MS = 20000;
  var framed = window.parent !== window;

  var log = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var typing = document.getElementById("typing");
  var helpCard = document.getElementById("help-card");
  var formError = document.getElementById("form-error");
  var conversationId = null;

  // --- conversation id: random, kept in sessionStorage at most (gone when the tab closes) ---
  function newConversationId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }   // blocked storage: keep it in memory
  }

  function loadConversationId() {
    var store = storage();
    var id = store && store.getItem(STORAGE_KEY);
    if (!id) {
      id = newConversationId();
      if (store) { store.setItem(STORAGE_KEY, id); }
    }
    return id;
  }

  function forgetConversation() {
    var store = storage();
    if (store) { store.removeItem(STORAGE_KEY); }
    conversationId = null;
  }

  // --- rendering: text only, never HTML ---
  function safeHref(href) {
    return typeof href === "string" && (href.indexOf("https://") === 0 || href.indexOf("tel:") === 0);
  }

  function renderMessage(message, from) {
    var item = document.createElement("div");
    item.className = "message message-" + from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = from === "user" ? "You said: " : "Assistant: ";
    var text = document.createElement("p");
    text.className = "message-text";
    text.textContent = message.text;
    text.insertBefore(who, text.firstChild);
    item.appendChild(text);

    var links = (message.links || []).filter(function (link) { return safeHref(link.href); });
    if (links.length) {
      var list = document.createElement("ul");
      list.className = "message-links";
      links.forEach(function (link) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = link.href;
        a.textContent = link.label;
        if (link.href.indexOf("https://") === 0) {
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      item.appendChild(list);
    }

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
    renderMessage({ text: text }, "user");
    log.scrollTop = log.scrollHeight;
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
  // its first message goes to the top of the message area, and can take the focus.
  function showReply(messages, takeFocus) {
    var first = renderAll(messages);
    if (!first) { return; }
    first.setAttribute("tabindex", "-1");
    showFromTop(first);
    if (takeFocus) { first.focus({ preventScroll: true }); }
  }

  function showFromTop(item) {
    var padding = parseFloat(window.getComputedStyle(log).paddingTop) || 0;
    if (log.scrollHeight > log.clientHeight) {
      log.scrollTop += item.getBoundingClientRect().top - log.getBoundingClientRect().top - padding;
      return;
    }
    // Short windows (widget.css): the message area does not scroll, the page does, under the
    // sticky header.
    var header = document.querySelector(".chat-header");
    var covered = header && window.getComputedStyle(header).position === "sticky" ? header.offsetHeight : 0;
    window.scrollTo(0, window.pageYOffset + item.getBoundingClientRect().top - covered - padding);
  }

  function showGreeting() {
    renderAll(settings.greeting);
  }

  function setBusy(busy) {
    typing.hidden = !busy;
    sendButton.disabled = busy;
    log.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showError(text) {
    formError.textContent = text || "";
  }

  // --- talking to the relay ---
  function send(text, shownAs, focusOnReply) {
    if (!conversationId) { conversationId = loadConversationId(); }
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
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) {
        showError(result.body.error ? result.body.error.message : "Sorry, that message couldn't be sent.");
      }
      helpCard.hidden = result.ok && !result.body.fallback;
      showReply(result.body.messages, focusOnReply);
      return result.ok;
    }).catch(function () {
      // Network down, too slow or not JSON: the helplines, never a blank chat.
      showError("Sorry, the chat isn't answering right now.");
      helpCard.hidden = false;
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

  // Shift pressed three times in a row (as GOV.UK's "Exit this page"); any other key resets.
  var shiftPresses = 0;
  var shiftTimer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { shiftPresses = 0; return; }
    if (event.repeat) { return; }
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(function () { shiftPresses = 0; }, 5000);
    if (shiftPresses >= 3) { quickExit(); }
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
  conversationId = loadConversationId();
  showGreeting();
})();
