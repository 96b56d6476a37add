// What is typed into a comment box is kept in this browser until it is
// saved. A textarea with data-draft="<name>" is copied to localStorage as it
// is typed, under the signed-in user, the page and the name. When the page
// is opened again (after a crash, a refused save or an expired session) and
// the box is empty, the text is put back and the person is told. Once the
// text shows on the page as a saved comment (an element with class
// comment-text in the same data-draft-scope), the copy is dropped. Logging
// out drops the user's copies, so that the next person at a shared computer
// finds none. Without localStorage, nothing happens: the server keeps a
// refused comment too (strategy/comment_drafts.py).
(function () {
  "use strict";

  var store;
  try {
    store = window.localStorage;
    store.getItem("mipr");
  } catch (error) {
    return;
  }
  var body = document.body;
  var owner = body.dataset.user;
  if (!owner) {
    return;
  }
  var prefix = "mipr:draft:" + owner + ":";

  function keyOf(area) {
    return prefix + window.location.pathname + ":" + area.dataset.draft;
  }

  // Line breaks show as <br> in a saved comment, which textContent drops:
  // compare without any white space.
  function normal(text) {
    return text.replace(/\s+/g, "");
  }

  function isShownAsSaved(area, text) {
    var scope = area.closest("[data-draft-scope]");
    if (!scope) {
      return false;
    }
    var wanted = normal(text);
    return Array.prototype.some.call(
      scope.querySelectorAll(".comment-text"),
      function (node) {
        return normal(node.textContent) === wanted;
      }
    );
  }

  function tell(area) {
    var note = document.createElement("p");
    note.className = "small mb-1 draft-restored";
    note.setAttribute("role", "status");
    note.textContent = body.dataset.msgDraftRestored || "";
    area.parentNode.insertBefore(note, area);
    var details = area.closest("details");
    if (details) {
      details.open = true;
    }
  }

  var areas = Array.prototype.slice.call(
    document.querySelectorAll("textarea[data-draft]")
  );
  var filled = {};
  areas.forEach(function (area) {
    if (area.value.trim()) {
      filled[keyOf(area)] = true;
    }
  });

  areas.forEach(function (area) {
    var key = keyOf(area);
    var kept = store.getItem(key);
    if (kept !== null) {
      if (isShownAsSaved(area, kept)) {
        store.removeItem(key);
      } else if (!filled[key] && !area.value.trim()) {
        area.value = kept;
        filled[key] = true;
        // A folded form («Kommenter denne delen») opens to show it.
        var folded = area.closest("details");
        if (folded) {
          folded.open = true;
        }
        tell(area);
      }
    }
    var timer = null;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        try {
          if (area.value.trim()) {
            store.setItem(key, area.value);
          } else {
            store.removeItem(key);
          }
        } catch (error) {
          // Storage full or refused: the server still keeps refused text.
        }
      }, 300);
    });
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.matches("form[data-logout]")) {
      return;
    }
    for (var index = store.length - 1; index >= 0; index -= 1) {
      var key = store.key(index);
      if (key && key.indexOf(prefix) === 0) {
        store.removeItem(key);
      }
    }
  });
})();
