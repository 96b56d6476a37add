// Autosave for a group's answer. The page works without this script (the Save
// button posts the same form); with it, text is saved while people type, kept
// in localStorage until the server has it, and merged with what others in the
// group saved in between. The server decides: it merges slot by slot and
// reports the slots where both changed, and this script lets the participant
// choose there.
//
// While the page is open and visible it also beats every few seconds (an
// autosave counts as a beat): the server says who else in the group is here
// and where they write, whether a newer version of the answer exists (merged
// at once into items not being edited here, offered as a choice where they
// are), and whether the page may still save (the workshop may be closed, the
// answer submitted, or the group given a new code). When it may not, the form
// locks, a banner at the top says why and what was not saved can be copied.
(function () {
  "use strict";

  var form = document.getElementById("answer-form");
  var initialNode = document.getElementById("answer-initial");

  // A page that can no longer be changed (closed, submitted) still shows
  // what this device kept of text the server never got, to copy.
  function copyBox(text, labels) {
    var box = document.createElement("div");
    box.className = "unsaved-copy";
    var label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = "unsaved-text";
    label.textContent = labels.msgUnsaved;
    var area = document.createElement("textarea");
    area.id = "unsaved-text";
    area.className = "form-control mb-2";
    area.rows = 6;
    area.readOnly = true;
    area.value = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-dark btn-sm";
    button.dataset.copy = "unsaved-text";
    button.dataset.msgCopied = labels.msgCopied;
    button.textContent = labels.msgCopy;
    var copyState = document.createElement("span");
    copyState.className = "copy-state ms-2";
    copyState.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(area);
    box.appendChild(button);
    box.appendChild(copyState);
    return box;
  }

  function showKept(node) {
    var kept = null;
    try {
      kept = JSON.parse(localStorage.getItem(node.dataset.storageKey) || "null");
    } catch (error) {
      return;
    }
    if (!kept || !Array.isArray(kept.content) || !Array.isArray(kept.base)) {
      return;
    }
    var parts = [];
    kept.content.forEach(function (slot, index) {
      var before = kept.base[index] || {};
      ["text", "why"].forEach(function (key) {
        if (typeof slot[key] === "string" && slot[key].trim() && slot[key] !== before[key]) {
          parts.push(slot[key]);
        }
      });
    });
    if (parts.length) {
      var box = copyBox(parts.join("\n\n"), node.dataset);
      box.classList.add("alert", "alert-warning");
      node.appendChild(box);
      node.hidden = false;
    }
  }

  var keptNode = document.getElementById("answer-kept");
  if (!form && keptNode) {
    showKept(keptNode);
  }
  if (!form || !initialNode || !window.fetch || !window.JSON) {
    return;
  }

  var msg = form.dataset;
  var url = msg.autosaveUrl;
  var heartbeatUrl = msg.heartbeatUrl;
  var storageKey = msg.storageKey;
  var stateNode = document.getElementById("save-state");
  var versionInput = form.querySelector("input[name=version]");
  var baseInput = form.querySelector("input[name=base]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var fields = Array.prototype.slice.call(
    form.querySelectorAll("textarea[data-slot][data-key]")
  );

  var initial = JSON.parse(initialNode.textContent);
  var version = initial.version;
  var base = initial.content; // What the server has, as this page last saw it.
  // Slots where the participant has to choose: index -> the base before the
  // other's text arrived (so that a reload shows the choice again).
  var conflicts = {};
  // Slots the server refused (too long): index -> the refused text.
  var refused = {};
  var timer = null;
  var inFlight = false;
  var again = false;
  var locked = false;
  var retryDelay = 2000;
  // The slot whose field has the focus, reported to the group.
  var editingSlot = null;
  var beatTimer = null;
  var BEAT_EVERY = 7000; // within the 5–10 s the group sees as "now"
  var notBefore = 0; // no beat before this time (a 429's Retry-After)
  var presenceList = document.getElementById("presence-list");
  var presenceNode = document.getElementById("presence");

  function field(index, key) {
    return form.querySelector(
      'textarea[data-slot="' + index + '"][data-key="' + key + '"]'
    );
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function read() {
    var content = base.map(function (slot) {
      return { text: slot.text, why: slot.why };
    });
    fields.forEach(function (node) {
      content[Number(node.dataset.slot)][node.dataset.key] = node.value;
    });
    return content;
  }

  // What goes to the server: the fields, except where the participant has not
  // chosen yet, or where the server refused the text and it is unchanged.
  function outgoing() {
    var content = read();
    Object.keys(conflicts).forEach(function (index) {
      content[index] = copy(base[index]);
    });
    Object.keys(refused).forEach(function (index) {
      if (same(content[index], refused[index])) {
        content[index] = copy(base[index]);
      }
    });
    return content;
  }

  function dirty() {
    return !same(outgoing(), base);
  }

  // Anything here the server does not have: unsent, refused or undecided.
  function unsaved() {
    return !same(read(), base) || Object.keys(conflicts).length > 0;
  }

  function remember() {
    try {
      if (unsaved()) {
        var storedBase = copy(base);
        Object.keys(conflicts).forEach(function (index) {
          storedBase[index] = conflicts[index];
        });
        localStorage.setItem(
          storageKey,
          JSON.stringify({
            version: version,
            base: storedBase,
            content: read(),
            refused: Object.keys(refused),
          })
        );
      } else {
        localStorage.removeItem(storageKey);
      }
    } catch (error) {
      // Private mode or a full storage: the server copy is all we have.
    }
  }

  function setState(text, kind) {
    stateNode.textContent = text;
    stateNode.dataset.state = kind || "";
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function retry() {
    setState(msg.msgRetry, "error");
    remember();
    schedule(retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function slotMessage(index, text) {
    var node = document.getElementById("id_slot-" + index + "-text-message");
    if (node) {
      node.textContent = text || "";
      node.className = text ? "slot-message text-danger" : "slot-message";
    }
  }

  function showConflict(conflict) {
    var fieldset = form.querySelector('fieldset[data-slot="' + conflict.index + '"]');
    var old = fieldset.querySelector(".conflict");
    if (old) {
      old.remove();
    }
    var box = document.createElement("div");
    box.className = "alert alert-warning conflict";
    var intro = document.createElement("p");
    intro.className = "mb-1";
    var who = document.createElement("strong");
    who.textContent = conflict.by || msg.msgSomeone;
    intro.appendChild(who);
    intro.appendChild(document.createTextNode(" " + msg.msgTheirs));
    var quote = document.createElement("blockquote");
    quote.className = "mb-2 conflict-theirs";
    quote.textContent = conflict.theirs.text;
    if (conflict.theirs.why) {
      var why = document.createElement("div");
      why.textContent = msg.msgWhy + ": " + conflict.theirs.why;
      quote.appendChild(why);
    }
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-primary me-2";
    keep.textContent = msg.msgKeepMine;
    keep.addEventListener("click", function () {
      resolve(conflict.index, false);
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-sm btn-outline-primary";
    take.textContent = msg.msgUseTheirs;
    take.addEventListener("click", function () {
      resolve(conflict.index, true);
    });
    box.appendChild(intro);
    box.appendChild(quote);
    box.appendChild(keep);
    box.appendChild(take);
    fieldset.insertBefore(box, fieldset.querySelector(".mb-2"));
  }

  function resolve(index, useTheirs) {
    delete conflicts[index];
    if (useTheirs) {
      ["text", "why"].forEach(function (key) {
        var node = field(index, key);
        if (node) {
          node.value = base[index][key];
        }
      });
    }
    var box = form.querySelector('fieldset[data-slot="' + index + '"] .conflict');
    if (box) {
      box.remove();
    }
    var first = field(index, "text");
    if (first) {
      first.focus();
    }
    remember();
    schedule(0);
  }

  function apply(data, sent) {
    var kept = {};
    data.conflicts.forEach(function (conflict) {
      kept[conflict.index] = true;
    });
    Object.keys(data.errors).forEach(function (index) {
      kept[index] = true;
    });
    // Take the server's text into every field the participant has not changed
    // since sending, and has no choice or refusal pending on.
    data.content.forEach(function (slot, index) {
      ["text", "why"].forEach(function (key) {
        var node = field(index, key);
        if (node && !kept[index] && !(index in conflicts) && node.value === sent[index][key]) {
          node.value = slot[key];
        }
      });
    });
    data.conflicts.forEach(function (conflict) {
      conflicts[conflict.index] = copy(base[conflict.index]);
      showConflict(conflict);
    });
    refused = {};
    fields.forEach(function (node) {
      slotMessage(node.dataset.slot, "");
    });
    Object.keys(data.errors).forEach(function (index) {
      refused[index] = sent[index];
      slotMessage(index, data.errors[index]);
    });
    version = data.version;
    base = data.content;
    versionInput.value = version;
    baseInput.value = JSON.stringify(base);
    remember();
    if (data.conflicts.length) {
      setState(msg.msgConflict, "conflict");
    } else if (Object.keys(data.errors).length) {
      setState(
        msg.msgNotSaved + " " + Object.values(data.errors).join(" "),
        "error"
      );
    } else {
      setState(data.saved, "saved");
    }
    live(data);
  }

  function save() {
    timer = null;
    if (locked) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    var sent = outgoing();
    if (same(sent, base)) {
      remember();
      return;
    }
    inFlight = true;
    setState(msg.msgSaving, "saving");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfInput.value,
      },
      body: JSON.stringify({
        version: version,
        base: base,
        content: sent,
        slot: editingSlot,
      }),
    })
      .then(function (response) {
        if (response.status >= 500) {
          throw new Error("server error " + response.status);
        }
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            inFlight = false;
            if (!response.ok || !data) {
              // Refused, not lost: the text stays here and in localStorage.
              setState((data && data.error) || msg.msgFailed, "error");
              remember();
              if (data && data.locked) {
                lock(data);
              }
              return;
            }
            retryDelay = 2000;
            apply(data, sent);
            beatLater(BEAT_EVERY); // the save was this page's beat
            if (again || dirty()) {
              again = false;
              schedule(300);
            }
          });
      })
      .catch(function () {
        inFlight = false;
        again = false;
        retry();
      });
  }

  // --- The heartbeat -------------------------------------------------------

  function beatLater(delay) {
    clearTimeout(beatTimer);
    if (!locked && heartbeatUrl) {
      // Never before the server's Retry-After, whatever wakes the page.
      var wait = Math.max(delay, notBefore - Date.now());
      beatTimer = setTimeout(beat, wait);
    }
  }

  function beat() {
    beatTimer = null;
    if (locked || document.visibilityState !== "visible") {
      return;
    }
    if (inFlight) {
      // The save's answer is the beat, unless the save fails: look again soon.
      beatLater(1000);
      return;
    }
    var sentVersion = version;
    fetch(heartbeatUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfInput.value,
      },
      body: JSON.stringify({ version: version, slot: editingSlot }),
    })
      .then(function (response) {
        if (response.status === 429) {
          var wait = Number(response.headers.get("Retry-After")) || 60;
          notBefore = Date.now() + wait * 1000;
          beatLater(BEAT_EVERY);
          return;
        }
        return response.json().then(function (data) {
          if (data.state === "code-changed") {
            lock(data);
            return;
          }
          if (!response.ok) {
            beatLater(BEAT_EVERY * 4);
            return;
          }
          // A save that started meanwhile brings a newer answer itself,
          // unless it fails: then this beat is repeated soon.
          var raced = inFlight || version !== sentVersion;
          if (!raced && data.content) {
            takeNewer(data);
          }
          live(data);
          beatLater(raced && data.content ? 1000 : BEAT_EVERY);
        });
      })
      .catch(function () {
        beatLater(BEAT_EVERY);
      });
  }

  function slotValue(index) {
    var value = { text: base[index].text, why: base[index].why };
    ["text", "why"].forEach(function (key) {
      var node = field(index, key);
      if (node) {
        value[key] = node.value;
      }
    });
    return value;
  }

  // A newer version saved by someone else: into the items untouched here at
  // once; where this participant has changed the item too, they choose.
  function takeNewer(data) {
    if (data.version <= version || data.content.length !== base.length) {
      return;
    }
    var merged = false;
    data.content.forEach(function (theirs, index) {
      var old = base[index];
      var mine = slotValue(index);
      if (same(theirs, old) || same(theirs, mine)) {
        return;
      }
      if (!(index in conflicts) && same(mine, old)) {
        ["text", "why"].forEach(function (key) {
          var node = field(index, key);
          if (node) {
            node.value = theirs[key];
          }
        });
        merged = true;
        return;
      }
      if (!(index in conflicts)) {
        conflicts[index] = copy(old);
      }
      showConflict({
        index: index,
        label: "",
        theirs: theirs,
        by: data.by,
      });
    });
    version = data.version;
    base = copy(data.content);
    versionInput.value = version;
    baseInput.value = JSON.stringify(base);
    remember();
    if (Object.keys(conflicts).length) {
      setState(msg.msgConflict, "conflict");
    } else if (merged && !dirty()) {
      setState(msg.msgNewer + " " + (data.saved || ""), "saved");
    }
  }

  function live(data) {
    if (Array.isArray(data.present) && presenceList) {
      presenceList.textContent = "";
      data.present.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        presenceList.appendChild(item);
      });
      presenceNode.hidden = data.present.length === 0;
    }
    if (data.state && data.state !== "open") {
      lock(data);
    }
  }

  // --- Locked: the workshop closed, the answer submitted, a new code -------

  function unsavedText() {
    var parts = [];
    fields.forEach(function (node) {
      var index = Number(node.dataset.slot);
      if (!node.value.trim() || node.value === base[index][node.dataset.key]) {
        return;
      }
      var label = form.querySelector('label[for="' + node.id + '"]');
      parts.push((label ? label.textContent.trim() + "\n" : "") + node.value);
    });
    return parts.join("\n\n");
  }

  function lock(data) {
    if (locked) {
      return;
    }
    locked = true;
    clearTimeout(timer);
    clearTimeout(beatTimer);
    fields.forEach(function (node) {
      node.readOnly = true;
    });
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (node) {
      node.disabled = true;
    });
    form.classList.add("answer-locked");
    remember(); // what was not saved stays on this device

    var banner = document.createElement("div");
    banner.className = "alert alert-danger live-locked";
    banner.setAttribute("role", "alert");
    var why = document.createElement("p");
    why.className = "mb-2";
    why.textContent = (data.error || msg.msgFailed) + " ";
    if (data.state === "code-changed") {
      var link = document.createElement("a");
      link.href = msg.joinUrl;
      link.className = "alert-link";
      link.textContent = msg.msgJoinAgain;
      why.appendChild(link);
    }
    banner.appendChild(why);
    var text = unsavedText();
    if (text) {
      var box = copyBox(text, msg);
      banner.appendChild(box);
    }
    var place = document.getElementById("live-banner") || form;
    place.appendChild(banner);
    setState(text ? msg.msgNotSaved : data.error || msg.msgFailed, "error");
    if (text) {
      banner.scrollIntoView({ block: "start" });
    }
  }

  // The status bar sticks to the bottom of the screen: the field being typed
  // in must never slip under it.
  function keepClear(node) {
    window.requestAnimationFrame(function () {
      var bar = stateNode.getBoundingClientRect();
      var box = node.getBoundingClientRect();
      if (box.bottom > bar.top && box.top < bar.bottom) {
        window.scrollBy(0, box.bottom - bar.top + 8);
      }
    });
  }

  form.addEventListener("input", function (event) {
    if (!event.target.dataset || event.target.dataset.slot === undefined) {
      return;
    }
    if (locked) {
      return;
    }
    remember();
    setState(msg.msgSaving, "saving");
    schedule(800);
    keepClear(event.target);
  });

  form.addEventListener("focusin", function (event) {
    if (event.target.dataset && event.target.dataset.slot !== undefined) {
      editingSlot = Number(event.target.dataset.slot);
      keepClear(event.target);
    }
  });

  form.addEventListener("focusout", function (event) {
    if (event.target.dataset && event.target.dataset.slot !== undefined) {
      editingSlot = null;
    }
  });

  window.addEventListener("online", function () {
    if (dirty()) {
      retryDelay = 2000;
      schedule(0);
    }
  });

  // A conflict the server showed (a save with the button after someone
  // else's): the participant's text stays in the field, theirs is what is
  // saved. Offer the same choice as after an autosave, and send nothing there
  // until it is made.
  Array.prototype.forEach.call(
    form.querySelectorAll("fieldset[data-slot] > .conflict"),
    function (box) {
      var index = Number(box.parentNode.dataset.slot);
      var by = box.querySelector("strong");
      conflicts[index] = copy(base[index]);
      showConflict({
        index: index,
        label: "",
        theirs: copy(base[index]),
        by: by ? by.textContent : "",
      });
    }
  );

  // Text from an earlier visit that never reached the server comes back first.
  var stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(storageKey) || "null");
  } catch (error) {
    stored = null;
  }
  if (
    stored &&
    Array.isArray(stored.content) &&
    Array.isArray(stored.base) &&
    stored.content.length === base.length &&
    stored.base.length === base.length &&
    !same(stored.content, initial.content)
  ) {
    stored.content.forEach(function (slot, index) {
      ["text", "why"].forEach(function (key) {
        var node = field(index, key);
        if (node && typeof slot[key] === "string") {
          node.value = slot[key];
        }
      });
    });
    version = stored.version;
    base = stored.base;
    setState(msg.msgRestored, "saving");
    schedule(0);
  } else if (stored) {
    try {
      localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing to do.
    }
  }
  if (dirty() && !timer) {
    // Text the browser put back into the fields (Back, a restored tab) that
    // the server does not have: never claim it is saved.
    setState(msg.msgRestored, "saving");
    remember();
    schedule(0);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      beatLater(500);
    } else {
      clearTimeout(beatTimer);
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      beatLater(0); // back from the browser's cache: the page may be stale
    }
  });
  beatLater(BEAT_EVERY);
})();
