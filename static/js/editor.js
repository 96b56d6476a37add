// The strategy section editor (templates/strategy/section_form.html). The page
// works without this script: the form posts, and «Forhåndsvis» asks the server
// for a preview. With it:
//
// - a Markdown toolbar above the text: real buttons in a role="toolbar", one
//   tab stop (the arrow keys, Home and End move between the buttons);
// - a live preview, rendered by the server exactly as the version's page will
//   show the text (strategy.markdown): beside the text from 1200 px, below it
//   after «Forhåndsvis» on narrower screens;
// - unsaved text kept in localStorage while typing, and offered back after a
//   crash, a reload or an expired session;
// - a warning before leaving the page with text that is not saved;
// - pasting from Word or Outlook keeps headings, bold, italic, lists, links
//   and tables as Markdown, and drops everything else.
(function () {
  "use strict";

  var form = document.getElementById("section-form");
  if (!form || !window.JSON) {
    return;
  }
  var msg = form.dataset;
  var body = form.querySelector("textarea[name=body]");
  var heading = form.querySelector("input[name=heading]");
  var revisionInput = form.querySelector("input[name=revision]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!body || !heading || !revisionInput || !csrfInput) {
    return;
  }

  function lf(text) {
    return String(text).replace(/\r\n?/g, "\n");
  }

  // What the server has saved. After a POST (a conflict, a refusal, the plain
  // preview) the form shows text that is not saved, and the page gives the
  // saved text alongside; otherwise the form shows what is saved.
  var savedNode = document.getElementById("editor-saved");
  var saved = savedNode
    ? JSON.parse(savedNode.textContent)
    : { heading: heading.defaultValue, body: body.defaultValue };

  function dirty() {
    return heading.value !== saved.heading || lf(body.value) !== lf(saved.body);
  }

  var statusNode = document.getElementById("editor-status");

  function tell(text) {
    statusNode.textContent = text || "";
  }

  // --- Drafts in localStorage ----------------------------------------------------
  //
  // One key per page load: «mipr:draft:<user>:section:<pk>:r<revision>:<page>»,
  // where the revision is the one the form was opened at (what a save from it
  // is checked against). Two tabs on the same section never overwrite each
  // other's text; a reload finds the earlier page's key by its prefix.
  //
  // When is a draft done with? A draft equal to what the form shows is
  // dropped. Submitting marks the draft "sent" but keeps it, since the save
  // can still fail (an expired session sends the POST to the login page, a
  // crash or a lost connection loses it). The save redirects to the version's
  // page, where this script does not run, so the next time the editor opens,
  // the server lists the revisions this user saved of the section
  // (data-your-saves): a save from revision n makes revision n + 1, so a sent
  // draft from n whose n + 1 is this user's went through and is dropped. Any
  // other draft is offered back. Drafts older than 30 days are dropped.
  var store = null;
  try {
    store = window.localStorage;
    store.getItem("mipr");
  } catch (error) {
    store = null;
  }
  var MONTH = 30 * 24 * 60 * 60 * 1000;
  var userPrefix = msg.storagePrefix;
  var sectionPrefix = userPrefix + msg.section + ":";
  var pageId =
    Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  var key = null;
  var keepTimer = null;
  var submitted = false;

  function keyFor(revision) {
    return sectionPrefix + "r" + revision + ":" + pageId;
  }

  function readDraft(storageKey) {
    try {
      var draft = JSON.parse(store.getItem(storageKey));
      if (
        draft &&
        typeof draft.heading === "string" &&
        typeof draft.body === "string" &&
        typeof draft.revision === "number" &&
        typeof draft.at === "number"
      ) {
        return draft;
      }
    } catch (error) {
      // Not ours, or damaged: treated as absent.
    }
    return null;
  }

  function keysWith(prefix) {
    var found = [];
    for (var index = 0; index < store.length; index += 1) {
      var name = store.key(index);
      if (name && name.indexOf(prefix) === 0) {
        found.push(name);
      }
    }
    return found;
  }

  function forget(storageKey) {
    try {
      store.removeItem(storageKey);
    } catch (error) {
      // Nothing to do.
    }
  }

  function keep(sent) {
    clearTimeout(keepTimer);
    keepTimer = null;
    if (!store) {
      return;
    }
    try {
      if (dirty()) {
        store.setItem(
          key,
          JSON.stringify({
            heading: heading.value,
            body: lf(body.value),
            revision: Number(revisionInput.value),
            at: Date.now(),
            sent: Boolean(sent),
          })
        );
      } else {
        store.removeItem(key);
      }
    } catch (error) {
      // Private mode or a full storage: the leave warning still stands.
    }
  }

  function keepSoon() {
    clearTimeout(keepTimer);
    keepTimer = setTimeout(keep, 300);
  }

  // The drafts worth offering, newest first; the rest are dropped.
  function tidyDrafts() {
    var now = Date.now();
    var yourSaves = (msg.yourSaves || "")
      .split(" ")
      .filter(Boolean)
      .map(Number);
    keysWith(userPrefix).forEach(function (storageKey) {
      var draft = readDraft(storageKey);
      if (!draft || now - draft.at > MONTH) {
        forget(storageKey);
      }
    });
    var offers = [];
    keysWith(sectionPrefix).forEach(function (storageKey) {
      var draft = readDraft(storageKey);
      if (!draft) {
        return;
      }
      var shown = draft.heading === heading.value && draft.body === lf(body.value);
      var went = draft.sent && yourSaves.indexOf(draft.revision + 1) !== -1;
      if (shown || went) {
        forget(storageKey);
      } else {
        offers.push({ key: storageKey, draft: draft });
      }
    });
    offers.sort(function (a, b) {
      return b.draft.at - a.draft.at;
    });
    return offers;
  }

  function when(at) {
    var date = new Date(at);
    var language = document.documentElement.lang || "nb";
    var time = date.toLocaleTimeString(language, {
      hour: "2-digit",
      minute: "2-digit",
    });
    if (date.toDateString() === new Date().toDateString()) {
      return msg.msgKeptToday.replace("{time}", time);
    }
    var day = date.toLocaleDateString(language, {
      day: "numeric",
      month: "numeric",
      year: "numeric",
    });
    return msg.msgKeptEarlier.replace("{date}", day).replace("{time}", time);
  }

  function offer(found) {
    var notice = document.getElementById("editor-draft");
    var draft = found.draft;
    var current = Number(revisionInput.value);
    notice.querySelector("[data-draft-when]").textContent = when(draft.at);
    notice.querySelector("[data-draft-stale]").hidden = draft.revision >= current;
    notice.querySelector("[data-draft-text]").textContent = draft.body;
    notice.hidden = false;

    function close(text) {
      notice.hidden = true;
      tell(text);
      body.focus();
    }

    notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
      heading.value = draft.heading;
      body.value = draft.body;
      // Text written from an older revision is saved as written from it: the
      // save then shows the conflict page with what others saved since,
      // instead of replacing their text unseen.
      if (draft.revision < current) {
        revisionInput.value = draft.revision;
      }
      forget(found.key);
      key = keyFor(revisionInput.value);
      keep();
      close(msg.msgRestored);
      body.setSelectionRange(body.value.length, body.value.length);
      previewSoon(0);
    });
    notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
      forget(found.key);
      close(msg.msgDiscarded);
    });
  }

  if (store) {
    key = keyFor(revisionInput.value);
    var offers = tidyDrafts();
    if (savedNode || dirty()) {
      // The form holds text the server did not save (or the browser put the
      // typed text back): keep it at once. An older draft waits for the next
      // plain visit, rather than replace it.
      keep();
    } else if (offers.length) {
      offer(offers[0]);
    }
  }

  heading.addEventListener("input", keepSoon);

  // --- Leaving ------------------------------------------------------------------

  form.addEventListener("submit", function () {
    submitted = true;
    keep(true);
    clearTimeout(previewTimer);
    if (controller) {
      controller.abort();
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitted || !dirty()) {
      return;
    }
    keep();
    event.preventDefault();
    event.returnValue = "";
  });

  window.addEventListener("pagehide", function () {
    if (!submitted && keepTimer) {
      keep();
    }
  });

  // Back to this page from the browser's cache after a save: its revision is
  // out of date, so load it again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && submitted) {
      window.location.reload();
    }
  });

  // --- Preview ------------------------------------------------------------------

  var columns = document.getElementById("editor-columns");
  var preview = document.getElementById("editor-preview");
  var previewBody = document.getElementById("preview-body");
  var previewState = document.getElementById("preview-state");
  var previewButton = form.querySelector("button[name=preview]");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 1200px)") : null;
  var canPreview = Boolean(window.fetch && preview && previewBody);
  var previewOpen = preview ? !preview.hidden : false;
  var previewTimer = null;
  // The server rendered the text the form started with (data-rendered).
  var previewed =
    previewBody && previewBody.hasAttribute("data-rendered")
      ? lf(body.defaultValue)
      : null;
  var sequence = 0;
  var controller = null;

  function isWide() {
    return Boolean(wide && wide.matches);
  }

  function previewShown() {
    return canPreview && (isWide() || previewOpen);
  }

  function layout() {
    if (!canPreview) {
      return;
    }
    columns.classList.add("is-live");
    preview.hidden = !previewShown();
    // Beside the text the preview scrolls on its own: keyboard users reach it.
    preview.tabIndex = isWide() ? 0 : -1;
    if (previewShown() && previewed !== lf(body.value)) {
      previewSoon(0);
    }
  }

  function previewSoon(delay) {
    if (!previewShown()) {
      return;
    }
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refresh, delay);
  }

  function refresh() {
    clearTimeout(previewTimer);
    var text = lf(body.value);
    sequence += 1;
    var mine = sequence;
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(msg.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfInput.value,
      },
      body: JSON.stringify({ body: text }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (response.redirected && response.url.indexOf(msg.loginUrl) !== -1) {
          return { error: msg.msgLoggedOut };
        }
        return response
          .json()
          .catch(function () {
            return { error: msg.msgPreviewFailed };
          })
          .then(function (data) {
            if (!response.ok || !data || typeof data.html !== "string") {
              return { error: (data && data.error) || msg.msgPreviewFailed };
            }
            return data;
          });
      })
      .then(function (data) {
        if (mine !== sequence) {
          return;
        }
        if (data.error) {
          previewState.textContent = data.error;
          return;
        }
        // Sanitised by the server (strategy.markdown), as on the version's page.
        previewBody.innerHTML = data.html;
        previewState.textContent = "";
        previewed = text;
      })
      .catch(function (error) {
        if (mine !== sequence || (error && error.name === "AbortError")) {
          return;
        }
        previewState.textContent = msg.msgPreviewFailed;
      });
  }

  if (canPreview) {
    layout();
    if (wide) {
      if (wide.addEventListener) {
        wide.addEventListener("change", layout);
      } else if (wide.addListener) {
        wide.addListener(layout);
      }
    }
    if (previewButton) {
      previewButton.addEventListener("click", function (event) {
        event.preventDefault();
        previewOpen = true;
        layout();
        refresh();
        preview.focus();
      });
    }
  }

  body.addEventListener("input", function () {
    keepSoon();
    previewSoon(600);
  });

  // --- Editing: the toolbar and its shortcuts -----------------------------------

  // Replace body[start:end] with text, then select [from, to]. insertText
  // keeps the browser's undo (Ctrl+Z) working and fires "input".
  function replace(start, end, text, from, to) {
    body.focus();
    body.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done) {
      body.setRangeText(text, start, end, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    body.setSelectionRange(from, to);
  }

  // The selection without the spaces a double-click takes along.
  function selection() {
    var value = body.value;
    var start = body.selectionStart;
    var end = body.selectionEnd;
    while (start < end && /\s/.test(value[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(value[end - 1])) {
      end -= 1;
    }
    return { start: start, end: end, text: value.slice(start, end) };
  }

  function run(value, index, step) {
    var count = 0;
    while (value[index + count * step] === "*") {
      count += 1;
    }
    return count;
  }

  // **bold** and *italic*: wrap the selection, or unwrap it when it is
  // wrapped already; with nothing selected, a placeholder to type over.
  function emphasis(marker, placeholder) {
    var value = body.value;
    var range = selection();
    var size = marker.length;
    var before = run(value, range.start - 1, -1);
    var after = run(value, range.end, 1);
    var wrapped =
      size === 2
        ? before >= 2 && after >= 2
        : before % 2 === 1 && after % 2 === 1;
    if (wrapped && range.text) {
      replace(
        range.start - size,
        range.end + size,
        range.text,
        range.start - size,
        range.end - size
      );
      return;
    }
    var inner = range.text || placeholder;
    replace(
      range.start,
      range.end,
      marker + inner + marker,
      range.start + size,
      range.start + size + inner.length
    );
  }

  function link() {
    var range = selection();
    var url = /^(https?:\/\/|mailto:)\S+$/.test(range.text);
    var label = url || !range.text ? msg.placeholderLink : range.text;
    var target = url ? range.text : "https://";
    var text = "[" + label + "](" + target + ")";
    var start = range.start;
    if (url || !range.text) {
      replace(start, range.end, text, start + 1, start + 1 + label.length);
    } else {
      var at = start + label.length + 3;
      replace(start, range.end, text, at, at + target.length);
    }
  }

  var BLOCKS = {
    heading: /^#{1,6}[ \t]+/,
    bullets: /^[ \t]*[-*+][ \t]+/,
    numbers: /^[ \t]*\d+[.)][ \t]+/,
    quote: /^>[ \t]?/,
  };

  // Headings, lists and quotes work on whole lines. A list or quote needs an
  // empty line before and after it, or Markdown reads it as part of the
  // paragraph around it.
  function lines(kind) {
    var value = body.value;
    var selStart = body.selectionStart;
    var selEnd = body.selectionEnd;
    var collapsed = selStart === selEnd;
    var start = value.lastIndexOf("\n", selStart - 1) + 1;
    var last = selEnd > selStart && value[selEnd - 1] === "\n" ? selEnd - 1 : selEnd;
    var end = value.indexOf("\n", last);
    if (end === -1) {
      end = value.length;
    }
    var rows = value.slice(start, end).split("\n");
    var pattern = BLOCKS[kind];
    var filled = rows.filter(function (row) {
      return row.trim();
    });
    var undo =
      filled.length > 0 &&
      filled.every(function (row) {
        return pattern.test(row);
      });
    var number = 0;
    var firstShift = 0;
    var result = rows.map(function (row, index) {
      var next;
      if (undo) {
        next = row.replace(pattern, "");
      } else if (!row.trim() && rows.length > 1) {
        next = row;
      } else {
        var bare = row;
        if (kind !== "quote") {
          bare = bare
            .replace(BLOCKS.heading, "")
            .replace(BLOCKS.bullets, "")
            .replace(BLOCKS.numbers, "");
        }
        number += 1;
        var prefix = {
          heading: "### ",
          bullets: "- ",
          numbers: number + ". ",
          quote: "> ",
        }[kind];
        if (kind === "heading" && !bare.trim()) {
          bare = msg.placeholderHeading;
        }
        next = prefix + bare;
      }
      if (index === 0) {
        firstShift = next.length - row.length;
      }
      return next;
    });
    var text = result.join("\n");
    var lead = "";
    var tail = "";
    if (!undo && kind !== "heading") {
      var above = value.slice(0, start).replace(/\n$/, "");
      var aboveLine = above.slice(above.lastIndexOf("\n") + 1);
      if (start > 0 && aboveLine.trim() && !pattern.test(aboveLine)) {
        lead = "\n";
      }
      var belowLine = value.slice(end + 1).split("\n")[0];
      if (end < value.length && belowLine.trim() && !pattern.test(belowLine)) {
        tail = "\n";
      }
    }
    var from = start + lead.length;
    var to = from + text.length;
    if (kind === "heading" && !undo && rows.length === 1 && !rows[0].trim()) {
      from += 4; // the placeholder, to type over
      to = from + msg.placeholderHeading.length;
    } else if (collapsed) {
      from = Math.max(start + lead.length, selStart + lead.length + firstShift);
      if (rows.length === 1 && !rows[0].trim()) {
        from = to;
      }
      to = from;
    }
    replace(start, end, lead + text + tail, from, to);
  }

  function format(kind) {
    if (kind === "bold") {
      emphasis("**", msg.placeholderBold);
    } else if (kind === "italic") {
      emphasis("*", msg.placeholderItalic);
    } else if (kind === "link") {
      link();
    } else if (BLOCKS[kind]) {
      lines(kind);
    }
  }

  var toolbar = document.getElementById("editor-toolbar");
  if (toolbar) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    body.parentNode.insertBefore(toolbar, body);
    toolbar.hidden = false;
    buttons.forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
      // Keep the text's selection when a button is pressed with the mouse.
      button.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      button.addEventListener("click", function () {
        buttons.forEach(function (other) {
          other.tabIndex = other === button ? 0 : -1;
        });
        format(button.dataset.format);
      });
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index === -1) {
        return;
      }
      var next = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        Home: 0,
        End: buttons.length - 1,
      }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
  }

  body.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
      return;
    }
    var letter = event.key.toLowerCase();
    if (letter === "b" || letter === "i") {
      event.preventDefault();
      format(letter === "b" ? "bold" : "italic");
    }
  });

  // --- Pasting from Word and Outlook --------------------------------------------

  var BOLD_OPEN = "\u0001";
  var BOLD_CLOSE = "\u0002";
  var ITALIC_OPEN = "\u0003";
  var ITALIC_CLOSE = "\u0004";
  var SKIPPED =
    /^(script|style|head|title|meta|link|img|svg|picture|video|audio|object|embed|iframe|canvas|template|noscript|xml|button|input|select|textarea|hr|o:p)$/;
  var BLOCK =
    /^(p|div|h[1-6]|ul|ol|li|blockquote|table|thead|tbody|tfoot|tr|td|th|caption|pre|section|article|header|footer|main|aside|nav|body|html|center|dl|dt|dd|figure|figcaption|address|form|fieldset)$/;
  var ORDERED_MARKER = /^\(?(\d+|[a-z]|[ivxlcdm]+)[.)]$/i;

  function nameOf(node) {
    return node.nodeName.toLowerCase();
  }

  function styleOf(node) {
    return (node.getAttribute && node.getAttribute("data-style")) || "";
  }

  function isSkipped(node) {
    if (node.nodeType === 8) {
      return true;
    }
    if (node.nodeType !== 1) {
      return node.nodeType !== 3;
    }
    var name = nameOf(node);
    var style = styleOf(node);
    return (
      SKIPPED.test(name) ||
      name.indexOf("v:") === 0 ||
      /mso-list:\s*ignore/i.test(style) ||
      /display:\s*none|mso-hide:\s*all/i.test(style)
    );
  }

  // The children to convert. Word's «<![if !supportLists]> … <![endif]>» (and
  // the other «[if !…]» ranges) hold what Word draws itself for other
  // programs: the list's bullet or number, image fallbacks, spacer cells.
  // They are left out; a list paragraph's marker is read from them.
  function children(node, marker) {
    var kept = [];
    var skipping = false;
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === 8) {
        var data = child.data.trim();
        if (/^\[if !/i.test(data)) {
          skipping = true;
        } else if (/^\[endif\]/i.test(data)) {
          skipping = false;
        }
        return;
      }
      if (skipping) {
        if (marker) {
          marker.text += child.textContent;
        }
        return;
      }
      if (child.nodeType === 1 && /mso-list:\s*ignore/i.test(styleOf(child))) {
        if (marker) {
          marker.text += child.textContent;
        }
        return;
      }
      if (!isSkipped(child)) {
        kept.push(child);
      }
    });
    return kept;
  }

  function isBold(node, name) {
    return (
      name === "b" ||
      name === "strong" ||
      /(^|;)\s*font-weight\s*:\s*(bold|bolder|[6-9]00)/i.test(styleOf(node))
    );
  }

  function isItalic(node, name) {
    return (
      name === "i" ||
      name === "em" ||
      /(^|;)\s*font-style\s*:\s*italic/i.test(styleOf(node))
    );
  }

  function wrapRun(inner, open, close) {
    var parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
    return parts[2] ? parts[1] + open + parts[2] + close + parts[3] : inner;
  }

  // Inline content as Markdown, with emphasis as markers that finish() turns
  // into ** and *. `state`: inside bold, italic, a heading, a table cell.
  function inline(nodes, state) {
    return nodes
      .map(function (node) {
        return inlineNode(node, state);
      })
      .join("");
  }

  function inlineNode(node, state) {
    if (node.nodeType === 3) {
      return node.data.replace(/[\s\u00a0]+/g, " ").replace(/([*\\`])/g, "\\$1");
    }
    if (node.nodeType !== 1) {
      return "";
    }
    var name = nameOf(node);
    if (name === "br") {
      return state.cell ? " " : "\n";
    }
    var inner;
    if (isBold(node, name) && !state.bold && !state.heading) {
      inner = inline(children(node), Object.assign({}, state, { bold: true }));
      return wrapRun(inner, BOLD_OPEN, BOLD_CLOSE);
    }
    if (isItalic(node, name) && !state.italic && !state.heading) {
      inner = inline(children(node), Object.assign({}, state, { italic: true }));
      return wrapRun(inner, ITALIC_OPEN, ITALIC_CLOSE);
    }
    inner = inline(children(node), state);
    if (name === "a") {
      var href = (node.getAttribute("href") || "").trim();
      if (/^(https?:|mailto:)/i.test(href) && inner.trim()) {
        var target = href
          .replace(/\s/g, "%20")
          .replace(/\(/g, "%28")
          .replace(/\)/g, "%29");
        return "[" + inner.trim() + "](" + target + ")";
      }
      return inner;
    }
    return BLOCK.test(name) ? " " + inner + " " : inner;
  }

  function finish(text) {
    return text
      .replace(/\u0002(\s*)\u0001/g, "$1")
      .replace(/\u0004(\s*)\u0003/g, "$1")
      .replace(/\u0001\u0002|\u0003\u0004/g, "")
      .replace(/[\u0001\u0002]/g, "**")
      .replace(/[\u0003\u0004]/g, "*")
      .split("\n")
      .map(function (row) {
        return row.replace(/ {2,}/g, " ").trim();
      })
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  }

  function headingLevel(node, name) {
    var match = /^h([1-6])$/.exec(name);
    if (match) {
      return Number(match[1]);
    }
    var kind = (node.getAttribute("class") || "").toLowerCase();
    if (kind === "msotitle") {
      return 1;
    }
    match = /^msoheading([1-6])$/.exec(kind);
    return match ? Number(match[1]) : 0;
  }

  // A Word list paragraph: «mso-list:l0 level2 lfo1» in its style, or a
  // bullet Word draws itself. Its level and whether it is numbered.
  function wordListItem(node, marker) {
    var level = /mso-list:\s*l\d+\s+level(\d+)/i.exec(styleOf(node));
    var sign = marker.text;
    if (!sign.trim()) {
      // The bullet can sit deeper, in a span around the whole line.
      var ignored = Array.prototype.filter.call(
        node.querySelectorAll("[data-style]"),
        function (element) {
          return /mso-list:\s*ignore/i.test(styleOf(element));
        }
      )[0];
      sign = ignored ? ignored.textContent : "";
    }
    if (!level && !sign.trim()) {
      return null;
    }
    sign = sign.replace(/[\s\u00a0]+/g, "");
    return { depth: level ? Number(level[1]) : 1, ordered: ORDERED_MARKER.test(sign) };
  }

  // Block content as a list of blocks: paragraphs, headings, list items,
  // quotes and tables.
  function convertBlocks(node, blocks, depth) {
    var pending = [];
    function flush() {
      if (pending.length) {
        var text = finish(inline(pending, {}));
        if (text) {
          blocks.push({ kind: "p", text: text });
        }
        pending = [];
      }
    }
    children(node).forEach(function (child) {
      if (child.nodeType === 3 || !BLOCK.test(nameOf(child))) {
        pending.push(child);
      } else {
        flush();
        convertBlock(child, blocks, depth);
      }
    });
    flush();
  }

  function convertBlock(node, blocks, depth) {
    var name = nameOf(node);
    var marker = { text: "" };
    var level = headingLevel(node, name);
    if (level) {
      var title = finish(inline(children(node), { heading: true })).replace(/\n/g, " ");
      if (title) {
        blocks.push({ kind: "h", level: level, text: title });
      }
      return;
    }
    if (name === "ul" || name === "ol") {
      children(node).forEach(function (child) {
        var childName = nameOf(child);
        if (childName === "li") {
          listItem(child, blocks, depth + 1, name === "ol");
        } else if (childName === "ul" || childName === "ol") {
          convertBlock(child, blocks, depth + 1);
        } else if (child.nodeType === 1) {
          convertBlocks(child, blocks, depth);
        }
      });
      return;
    }
    if (name === "li") {
      listItem(node, blocks, depth + 1, false);
      return;
    }
    if (name === "blockquote") {
      var inner = [];
      convertBlocks(node, inner, 0);
      var quoted = serialise(inner);
      if (quoted) {
        blocks.push({ kind: "quote", text: quoted });
      }
      return;
    }
    if (name === "table") {
      table(node, blocks);
      return;
    }
    if (name === "p" || name === "div") {
      var parts = children(node, marker);
      var item = wordListItem(node, marker);
      if (item) {
        var text = finish(inline(parts, {})).replace(/\n/g, " ");
        if (text) {
          blocks.push({ kind: "li", depth: item.depth, ordered: item.ordered, text: text });
        }
        return;
      }
      if (name === "p") {
        var paragraph = finish(inline(parts, {}));
        if (paragraph) {
          blocks.push({ kind: "p", text: paragraph });
        }
        return;
      }
    }
    convertBlocks(node, blocks, depth);
  }

  function listItem(node, blocks, depth, ordered) {
    var own = [];
    var nested = [];
    var marker = { text: "" };
    children(node, marker).forEach(function (child) {
      var childName = nameOf(child);
      (childName === "ul" || childName === "ol" ? nested : own).push(child);
    });
    var level = /mso-list:\s*l\d+\s+level(\d+)/i.exec(styleOf(node));
    var text = finish(inline(own, {})).replace(/\n/g, " ");
    if (text) {
      blocks.push({
        kind: "li",
        depth: Math.max(depth, level ? Number(level[1]) : 0),
        ordered: ordered,
        text: text,
      });
    }
    nested.forEach(function (list) {
      convertBlock(list, blocks, depth);
    });
  }

  function table(node, blocks) {
    var rows = [];
    Array.prototype.forEach.call(node.querySelectorAll("tr"), function (row) {
      if (row.closest("table") !== node) {
        return;
      }
      var cells = [];
      Array.prototype.forEach.call(row.children, function (cell) {
        var cellName = nameOf(cell);
        if (cellName === "td" || cellName === "th") {
          cells.push(finish(inline(children(cell), { cell: true })).replace(/\|/g, "\\|"));
        }
      });
      if (cells.some(Boolean)) {
        rows.push(cells);
      }
    });
    if (!rows.length) {
      return;
    }
    var width = Math.max.apply(
      null,
      rows.map(function (cells) {
        return cells.length;
      })
    );
    var lines = rows.map(function (cells) {
      while (cells.length < width) {
        cells.push("");
      }
      return "| " + cells.join(" | ") + " |";
    });
    var rule = [];
    for (var index = 0; index < width; index += 1) {
      rule.push("---");
    }
    lines.splice(1, 0, "| " + rule.join(" | ") + " |");
    blocks.push({ kind: "table", text: lines.join("\n") });
  }

  // Blocks to Markdown: an empty line between blocks, list items on lines of
  // their own, nested four spaces deeper (as Python-Markdown wants), numbered
  // 1., 2., … per list. The pasted text's heading levels become ###, ####, …
  // in order, without gaps: the section's own heading is the level above.
  function serialise(blocks) {
    var levels = [];
    blocks.forEach(function (block) {
      if (block.kind === "h" && levels.indexOf(block.level) === -1) {
        levels.push(block.level);
      }
    });
    levels.sort();
    var out = "";
    var previous = null;
    var counters = [];
    var depth = 0;
    blocks.forEach(function (block) {
      var text;
      if (block.kind === "li") {
        depth = Math.max(1, Math.min(block.depth, depth + 1));
        counters.length = depth;
        var counter = counters[depth - 1];
        if (!counter || counter.ordered !== block.ordered) {
          counter = counters[depth - 1] = { ordered: block.ordered, count: 0 };
        }
        counter.count += 1;
        text =
          new Array(depth).join("    ") +
          (block.ordered ? counter.count + ". " : "- ") +
          block.text;
      } else {
        depth = 0;
        counters = [];
        if (block.kind === "h") {
          var hashes = Math.min(6, 3 + levels.indexOf(block.level));
          text = new Array(hashes + 1).join("#") + " " + block.text;
        } else if (block.kind === "quote") {
          text = block.text
            .split("\n")
            .map(function (row) {
              return row ? "> " + row : ">";
            })
            .join("\n");
        } else {
          // Word's text, not Markdown: «15. mars» starts no list (which
          // would read «1. mars»), «#1» no heading, «>» no quote.
          text = block.text
            .split("\n")
            .map(function (row) {
              return row.replace(/^(\d+)\.(?=\s)/, "$1\\.").replace(/^([#>])/, "\\$1");
            })
            .join("\n");
        }
      }
      if (previous) {
        out += previous.kind === "li" && block.kind === "li" ? "\n" : "\n\n";
      }
      out += text;
      previous = block;
    });
    return out;
  }

  // Markdown from the clipboard's HTML, or null when the HTML says nothing
  // the plain text does not (a code editor's coloured spans, say).
  function fromHtml(html) {
    // The parsed document is never shown, but Chromium still holds its style
    // sheets and style attributes to the page's Content-Security-Policy:
    // the sheets go, and the attributes are read under another name.
    var inert = html
      .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
      .replace(/(<[a-z][^>]*?\s)style(\s*=)/gi, "$1data-style$2");
    var doc = new DOMParser().parseFromString(inert, "text/html");
    var office = /urn:schemas-microsoft-com:office|class="?Mso|mso-/i.test(html);
    var rich = doc.body.querySelector(
      "h1,h2,h3,h4,h5,h6,ul,ol,li,b,strong,i,em,table,blockquote,a[href]," +
        "[data-style*=font-weight],[data-style*=font-style]"
    );
    if (!office && !rich) {
      return null;
    }
    var blocks = [];
    convertBlocks(doc.body, blocks, 0);
    var markdown = serialise(blocks);
    return markdown.trim() ? markdown : null;
  }

  // Plain text with Word's bullets («•\t…», «o\t…», «1.\t…») as Markdown
  // lists, each item on a line of its own, with an empty line around.
  var PLAIN_ITEM =
    /^([ \t]*)(?:([•·▪◦‣○●■□\u2043\u2219\uf0a7\uf0b7\uf076\uf0d8])|([o§\-–*+])(?=\t| {2,})|(\(?\d{1,3}[.)]|[a-z][.)])(?=\t| {2,}))[\t ]*(.*)$/i;

  function fromPlainText(text) {
    var rows = lf(text).replace(/\s+$/, "").split("\n");
    if (
      !rows.some(function (row) {
        return PLAIN_ITEM.test(row);
      })
    ) {
      return null;
    }
    var out = [];
    var inList = false;
    var numbers = [];
    rows.forEach(function (row) {
      var match = PLAIN_ITEM.exec(row);
      if (match && match[5].trim()) {
        var indent = match[1].replace(/\t/g, "    ").length;
        var depth = Math.floor(indent / 4);
        if (!inList && out.length && out[out.length - 1].trim()) {
          out.push("");
        }
        numbers.length = depth + 1;
        // Counted per list: a bulleted item between starts the count again.
        numbers[depth] = match[4] ? (numbers[depth] || 0) + 1 : 0;
        var sign = match[4] ? numbers[depth] + ". " : "- ";
        out.push(new Array(depth + 1).join("    ") + sign + match[5].trim());
        inList = true;
        return;
      }
      if (inList && row.trim()) {
        out.push("");
      }
      numbers = [];
      inList = false;
      out.push(row);
    });
    return out.join("\n").replace(/\n{3,}/g, "\n\n");
  }

  // Insert pasted blocks on lines of their own.
  function insertBlocks(markdown) {
    var value = body.value;
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var text = markdown;
    if (markdown.indexOf("\n") !== -1) {
      var before = value.slice(0, start);
      if (before && !/\n\n$/.test(before)) {
        text = (/\n$/.test(before) ? "\n" : "\n\n") + text;
      }
      var after = value.slice(end);
      if (after && !/^\n\n/.test(after)) {
        text += /^\n/.test(after) ? "\n" : "\n\n";
      }
    }
    var caret = start + text.length;
    replace(start, end, text, caret, caret);
  }

  body.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    if (!data) {
      return;
    }
    var markdown = null;
    var html = data.getData("text/html");
    if (html && window.DOMParser) {
      markdown = fromHtml(html);
    }
    if (markdown === null) {
      markdown = fromPlainText(data.getData("text/plain") || "");
    }
    if (markdown === null) {
      return; // The browser pastes the plain text as it is.
    }
    event.preventDefault();
    insertBlocks(markdown);
  });
})();
