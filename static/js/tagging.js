// Tagging answer items into findings on «Svarene side om side». The page works
// without this script: one form around every item, saved with «Lagre alle».
// With it, each tick is saved at once (JSON to data-tick-url), one at a time
// and in the order made, with «Lagret» and «Angre» beside the item. A tick the
// server has not confirmed stays marked as not saved and is sent again: after
// Retry-After when the server says there were too many (429), after a growing
// pause when the network or the server failed. A new finding typed beside an
// item is created in place (data-new-url) and gets a checkbox on every item.
(function () {
  "use strict";

  var form = document.getElementById("tagging-form");
  if (!form || !window.fetch || !window.JSON || !window.Promise || !form.closest) {
    return;
  }

  var msg = form.dataset;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var countNode = document.getElementById("untagged-count");
  var queue = []; // ticks not sent yet, oldest first: {box, checked}
  var sending = null; // the tick on its way
  var timer = null;
  var retryDelay = 2000;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function itemOf(node) {
    return node.closest(".answer-item");
  }

  function isSaved(box) {
    return box.dataset.saved === "1";
  }

  function boxes(item) {
    return Array.prototype.slice.call(
      item.querySelectorAll("input[type=checkbox][name=tag]")
    );
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf,
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null; // a login page or a proxy's error page
        })
        .then(function (data) {
          return { response: response, data: data };
        });
    });
  }

  // --- What the page shows ------------------------------------------------------

  function setState(item, text, kind) {
    var node = item.querySelector(".tick-state");
    node.textContent = text;
    node.dataset.state = kind || "";
  }

  function undoButton(item) {
    var button = item.querySelector(".tick-undo");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm tick-undo";
      button.appendChild(document.createTextNode(msg.msgUndo));
      var context = document.createElement("span");
      context.className = "visually-hidden";
      context.textContent = " (" + item.dataset.label + ")";
      button.appendChild(context);
      button.addEventListener("click", function () {
        undo(item);
      });
      item.querySelector(".tick-feedback").appendChild(button);
    }
    return button;
  }

  function hideUndo(item) {
    var button = item.querySelector(".tick-undo");
    if (button) {
      button.hidden = true;
    }
  }

  // A tick the server has not confirmed is marked in words, not colour alone.
  function mark(box) {
    var wrap = box.closest(".form-check");
    var unsaved = box.checked !== isSaved(box);
    var note = wrap.querySelector(".unsaved-mark");
    wrap.classList.toggle("is-unsaved", unsaved);
    if (unsaved && !note) {
      note = document.createElement("span");
      note.className = "unsaved-mark";
      note.textContent = "(" + msg.msgUnsaved + ")";
      wrap.appendChild(note);
    } else if (!unsaved && note) {
      note.remove();
    }
  }

  function showUntagged(item, untagged) {
    item.classList.toggle("untagged", untagged);
    var text = item.querySelector(".answer-text");
    var badge = text.querySelector(".badge");
    if (untagged && !badge) {
      badge = document.createElement("span");
      badge.className = "badge text-bg-warning";
      badge.textContent = msg.msgUntagged;
      text.appendChild(document.createTextNode(" "));
      text.appendChild(badge);
    } else if (!untagged && badge) {
      badge.remove();
    }
    if (countNode) {
      var count = form.querySelectorAll(".answer-item.untagged").length;
      var sentence = count === 1 ? countNode.dataset.msgOne : countNode.dataset.msgOther;
      countNode.textContent = format(sentence, { count: count });
    }
  }

  // The item's hidden input names the findings it has on the server, so that
  // «Lagre alle» (still there for a page without this script) changes only
  // what was changed here.
  function syncShown(item) {
    var saved = boxes(item)
      .filter(isSaved)
      .map(function (box) {
        return box.dataset.finding;
      });
    item.querySelector("input[name=item]").value =
      item.dataset.answer + ":" + item.dataset.slot + ":" + saved.join(",");
  }

  function queuedFor(item) {
    return queue.some(function (entry) {
      return itemOf(entry.box) === item;
    });
  }

  // --- Sending ticks, in order, one at a time -------------------------------------

  function tick(box) {
    var item = itemOf(box);
    var pending = null;
    queue.forEach(function (entry) {
      if (entry.box === box) {
        pending = entry;
      }
    });
    if (pending) {
      pending.checked = box.checked; // the latest wish, in the first one's place
    } else {
      queue.push({ box: box, checked: box.checked });
    }
    mark(box);
    hideUndo(item);
    setState(item, msg.msgSaving, "saving");
    pump();
  }

  function waitThenSend(seconds, text) {
    clearTimeout(timer);
    queue.forEach(function (entry) {
      setState(itemOf(entry.box), format(text, { seconds: seconds }), "error");
    });
    timer = setTimeout(function () {
      timer = null;
      pump();
    }, seconds * 1000);
  }

  // Back at the head of the queue, unless a newer wish for the box is queued.
  function requeue(entry) {
    var newer = queue.some(function (other) {
      return other.box === entry.box;
    });
    if (!newer) {
      queue.unshift(entry);
    }
  }

  function pump() {
    if (sending || timer || !queue.length) {
      return;
    }
    var entry = queue.shift();
    var box = entry.box;
    var item = itemOf(box);
    if (entry.checked === isSaved(box)) {
      // Ticked and unticked again before it was sent: nothing to save.
      mark(box);
      if (!queuedFor(item)) {
        setState(item, "", "");
      }
      pump();
      return;
    }
    sending = entry;
    post(msg.tickUrl, {
      answer: Number(item.dataset.answer),
      slot: Number(item.dataset.slot),
      finding: Number(box.dataset.finding),
      checked: entry.checked,
    })
      .then(function (result) {
        var response = result.response;
        var data = result.data;
        if (response.status === 429) {
          sending = null;
          requeue(entry);
          var wait = parseInt(response.headers.get("Retry-After"), 10);
          waitThenSend(wait > 0 ? wait : 5, msg.msgWait);
          return;
        }
        if (!data || response.status >= 500 || response.status === 403) {
          throw new Error("not saved: " + response.status);
        }
        sending = null;
        retryDelay = 2000;
        if (!response.ok) {
          refused(entry, data.error);
        } else {
          saved(entry, data);
        }
        pump();
      })
      .catch(function () {
        sending = null;
        requeue(entry);
        var seconds = Math.round(retryDelay / 1000);
        retryDelay = Math.min(retryDelay * 2, 30000);
        waitThenSend(seconds, msg.msgRetry);
      });
  }

  function saved(entry, data) {
    var box = entry.box;
    var item = itemOf(box);
    box.dataset.saved = data.checked ? "1" : "0";
    mark(box);
    syncShown(item);
    showUntagged(item, !data.tagged);
    if (queuedFor(item)) {
      return; // «Lagret» once the item's last tick is saved
    }
    setState(item, data.message, "saved");
    item.lastTick = box;
    undoButton(item).hidden = false;
  }

  // The server will not take it (the item or the finding is gone): say so, and
  // show the box as it is saved.
  function refused(entry, error) {
    var box = entry.box;
    var newer = queue.some(function (other) {
      return other.box === box;
    });
    if (!newer) {
      box.checked = isSaved(box);
    }
    mark(box);
    setState(itemOf(box), error || msg.msgCreateFailed, "error");
  }

  function undo(item) {
    var box = item.lastTick;
    if (!box) {
      return;
    }
    box.checked = !box.checked;
    box.focus(); // the undo button hides while the change is saved
    tick(box);
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox" && box.name === "tag") {
      tick(box);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (queue.length || sending) {
      event.preventDefault();
      event.returnValue = msg.msgPending;
      return msg.msgPending;
    }
    return undefined;
  });

  // --- A new finding, made beside an item ----------------------------------------

  function addFinding(finding, forItem) {
    form.querySelectorAll(".answer-item").forEach(function (item) {
      var list = item.querySelector(".tick-list");
      var id = "tag-" + item.dataset.answer + "-" + item.dataset.slot + "-" + finding.id;
      if (document.getElementById(id)) {
        return;
      }
      var none = list.querySelector(".no-findings");
      if (none) {
        none.remove();
      }
      var mine = item === forItem;
      var wrap = document.createElement("div");
      wrap.className = "form-check";
      var box = document.createElement("input");
      box.className = "form-check-input";
      box.type = "checkbox";
      box.name = "tag";
      box.id = id;
      box.value = item.dataset.answer + ":" + item.dataset.slot + ":" + finding.id;
      box.dataset.finding = String(finding.id);
      box.dataset.saved = mine ? "1" : "0";
      box.checked = mine;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = id;
      label.textContent = finding.title;
      wrap.appendChild(box);
      wrap.appendChild(label);
      list.appendChild(wrap);
    });
    syncShown(forItem);
    var filter = document.getElementById("filter-finding");
    if (filter) {
      var option = document.createElement("option");
      option.value = String(finding.id);
      option.textContent = finding.title;
      filter.appendChild(option);
    }
  }

  function titleError(input, text) {
    var error = document.getElementById(input.id.replace(/-title$/, "-error"));
    error.textContent = text;
    input.classList.toggle("is-invalid", Boolean(text));
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  function create(item) {
    var details = item.querySelector(".new-finding");
    var input = details.querySelector("input[type=text]");
    if (item.dataset.creating) {
      return;
    }
    item.dataset.creating = "1";
    setState(item, msg.msgCreating, "saving");
    post(msg.newUrl, {
      answer: Number(item.dataset.answer),
      slot: Number(item.dataset.slot),
      title: input.value,
    })
      .then(function (result) {
        delete item.dataset.creating;
        var data = result.data;
        if (result.response.status === 201 && data) {
          addFinding(data.finding, item);
          input.value = "";
          titleError(input, "");
          details.open = false;
          showUntagged(item, false);
          setState(item, data.message, "saved");
          document.getElementById(
            "tag-" + item.dataset.answer + "-" + item.dataset.slot + "-" + data.finding.id
          ).focus();
          return;
        }
        // Refused: the typed title stays, with the reason beside it.
        var errors = data && data.errors && data.errors.title;
        titleError(input, errors ? errors.join(" ") : "");
        setState(item, (data && data.error) || msg.msgCreateFailed, "error");
        input.focus();
      })
      .catch(function () {
        delete item.dataset.creating;
        setState(item, msg.msgCreateFailed, "error");
      });
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.name === "new") {
      event.preventDefault();
      create(itemOf(button));
    }
  });

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key === "Enter" && input.closest && input.closest(".new-finding") && input.type === "text") {
      event.preventDefault(); // not «Lagre alle», the form's first button
      create(itemOf(input));
    }
  });

  // --- Start ------------------------------------------------------------------------

  // Saved at once from now on: «Lagre alle» is not needed.
  form.querySelector(".save-bar-top button").hidden = true;
  form.querySelector(".save-bar-hint").hidden = true;
  form.querySelector(".save-bar-live").hidden = false;
  form.querySelector(".save-bar-bottom").hidden = true;

  // Ticks the page shows but the server does not have (a save refused for a
  // new finding's title shows what was sent): send them now.
  form.querySelectorAll("input[type=checkbox][name=tag]").forEach(function (box) {
    if (box.checked !== isSaved(box)) {
      tick(box);
    }
  });
})();
