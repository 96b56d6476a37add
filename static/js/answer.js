// Autosave for a group's answer. The page works without this script (the Save
// button posts the same form); with it, text is saved while people type, kept
// in localStorage until the server has it, and merged with what others in the
// group saved in between. The server decides: it merges slot by slot and
// reports the slots where both changed, and this script lets the participant
// choose there.
(function () {
  "use strict";

  var form = document.getElementById("answer-form");
  var initialNode = document.getElementById("answer-initial");
  if (!form || !initialNode || !window.fetch || !window.JSON) {
    return;
  }

  var msg = form.dataset;
  var url = msg.autosaveUrl;
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

  function remember() {
    try {
      if (dirty() || Object.keys(conflicts).length) {
        var storedBase = copy(base);
        Object.keys(conflicts).forEach(function (index) {
          storedBase[index] = conflicts[index];
        });
        localStorage.setItem(
          storageKey,
          JSON.stringify({ version: version, base: storedBase, content: read() })
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
      setState(Object.values(data.errors).join(" "), "error");
    } else {
      setState(data.saved, "saved");
    }
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
      body: JSON.stringify({ version: version, base: base, content: sent }),
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
              locked = Boolean(data && data.locked);
              setState((data && data.error) || msg.msgFailed, "error");
              remember();
              return;
            }
            retryDelay = 2000;
            apply(data, sent);
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

  form.addEventListener("input", function (event) {
    if (!event.target.dataset || event.target.dataset.slot === undefined) {
      return;
    }
    remember();
    setState(msg.msgSaving, "saving");
    schedule(800);
  });

  window.addEventListener("online", function () {
    if (dirty()) {
      retryDelay = 2000;
      schedule(0);
    }
  });

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
})();
