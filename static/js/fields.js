// The answer page's text fields: they grow with their text, count characters
// near the limit, and turn a list pasted from Word or Outlook into items.
// answer.js saves; this script only changes the fields and sends the usual
// "input" event, so that what it does is saved like typing.
(function () {
  "use strict";

  var form = document.getElementById("answer-form");
  if (!form) {
    return;
  }
  var fields = Array.prototype.slice.call(
    form.querySelectorAll("textarea[data-slot][data-key]")
  );
  var lang = document.documentElement.lang || "nb";
  var messages = document.getElementById("field-messages");
  var msg = messages ? messages.dataset : {};

  function changed(node) {
    node.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function number(value) {
    try {
      return value.toLocaleString(lang);
    } catch (error) {
      return String(value);
    }
  }

  // --- Growing with the text -------------------------------------------------
  // CSS does it where the browser knows field-sizing; elsewhere the height
  // follows the text here.
  var sizesItself =
    window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  function grow(node) {
    if (sizesItself) {
      return;
    }
    node.style.height = "auto";
    var border = node.offsetHeight - node.clientHeight;
    node.style.height = node.scrollHeight + border + "px";
  }

  // --- The character counter ---------------------------------------------------
  // Shown from 80 % of the limit, a warning from 90 %, an error past it.
  // Screen readers hear it only when it crosses one of those lines.
  function band(length, max) {
    if (length > max) {
      return "over";
    }
    if (length >= max * 0.9) {
      return "warning";
    }
    if (length >= max * 0.8) {
      return "near";
    }
    return "";
  }

  function count(node) {
    var counter = document.getElementById(node.id + "-count");
    var live = document.getElementById(node.id + "-count-live");
    var max = Number(node.dataset.maxLength);
    if (!counter || !live || !max) {
      return;
    }
    var length = node.value.length;
    var now = band(length, max);
    var values = { count: number(length), max: number(max) };
    counter.hidden = !now;
    counter.dataset.band = now;
    counter.textContent = now
      ? format(now === "over" ? counter.dataset.msgOver : counter.dataset.msgCount, values)
      : "";
    var before = node.dataset.band || "";
    node.dataset.band = now;
    var order = ["", "near", "warning", "over"];
    if (order.indexOf(now) > order.indexOf(before) && now !== "near") {
      live.textContent = counter.textContent;
    } else if (before === "over" && now !== "over") {
      live.textContent = format(counter.dataset.msgBack, values);
    }
  }

  // --- Pasting lists -------------------------------------------------------------

  var PLAIN_ITEM =
    /^([ \t]*)(?:([•·▪◦‣○●■□\u2043\u2219\uf0a7\uf0b7\uf076\uf0d8])|([o§\-–*+])(?=\t| {2,})|(\(?\d{1,3}[.)]|[a-z][.)])(?=\t| {2,}))[\t ]*(.*)$/i;
  var ORDERED = /^\(?(\d+|[a-z]|[ivxlcdm]+)[.)]$/i;

  function squeeze(text) {
    return text.replace(/[\s\u00a0]+/g, " ").trim();
  }

  // Word's plain text: «•\tText», «o\tText», «1.\tText».
  function rowsFromText(text) {
    var rows = [];
    text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .forEach(function (line) {
        var match = PLAIN_ITEM.exec(line);
        if (match && match[5].trim()) {
          var indent = match[1].replace(/\t/g, "    ").length;
          var deeper = match[3] === "o" || match[3] === "§";
          rows.push({
            text: squeeze(match[5]),
            list: true,
            level: 1 + Math.floor(indent / 4) + (deeper ? 1 : 0),
            ordered: Boolean(match[4]),
          });
        } else if (line.trim()) {
          rows.push({ text: squeeze(line), list: false, level: 0, ordered: false });
        }
      });
    return rows;
  }

  function styleOf(node) {
    return (node.getAttribute && node.getAttribute("data-style")) || "";
  }

  // A paragraph's own text, without what Word draws for other programs (the
  // «<![if !supportLists]> … <![endif]>» range, «mso-list:Ignore» spans): that
  // is its bullet or number, returned as the marker.
  function textOf(node) {
    var marker = "";
    var skipping = false;
    function walk(parent) {
      var text = "";
      Array.prototype.forEach.call(parent.childNodes, function (child) {
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
          marker += child.textContent;
          return;
        }
        if (child.nodeType === 3) {
          text += child.data;
        } else if (child.nodeType === 1) {
          if (/mso-list:\s*ignore/i.test(styleOf(child))) {
            marker += child.textContent;
          } else if (!/^(style|script|img|o:p)$/i.test(child.nodeName)) {
            text += walk(child);
          } else if (/^o:p$/i.test(child.nodeName)) {
            text += child.textContent;
          }
        }
      });
      return text;
    }
    var text = walk(node);
    return { text: squeeze(text), marker: marker.replace(/[\s\u00a0]+/g, "") };
  }

  // Word and Outlook HTML: list paragraphs («mso-list:l0 level2 lfo1») and
  // <li>, each a row; other paragraphs plain rows.
  function rowsFromHtml(html) {
    var inert = html
      .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
      .replace(/(<[a-z][^>]*?\s)style(\s*=)/gi, "$1data-style$2");
    var doc = new DOMParser().parseFromString(inert, "text/html");
    var blocks = doc.body.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6");
    var rows = [];
    Array.prototype.forEach.call(blocks, function (block) {
      if (block.closest("li") && block.nodeName !== "LI") {
        return; // a paragraph inside a list item: the item's own text
      }
      var level = /mso-list:\s*l\d+\s+level(\d+)/i.exec(styleOf(block));
      var isItem = block.nodeName === "LI";
      var found = textOf(block);
      if (!found.text) {
        return;
      }
      if (isItem || level) {
        var depth = 0;
        for (var up = block.parentElement; up; up = up.parentElement) {
          depth += /^(UL|OL)$/.test(up.nodeName) ? 1 : 0;
        }
        rows.push({
          text: found.text,
          list: true,
          level: level ? Number(level[1]) : Math.max(depth, 1),
          ordered: isItem
            ? Boolean(block.closest("ol"))
            : ORDERED.test(found.marker),
        });
      } else {
        rows.push({ text: found.text, list: false, level: 0, ordered: false });
      }
    });
    return rows;
  }

  // Rows as clean lines: «- text» for bullets, «1. text» for numbers.
  function asLines(rows) {
    var numbers = [];
    return rows
      .map(function (row) {
        if (!row.list) {
          numbers = [];
          return row.text;
        }
        numbers.length = row.level;
        numbers[row.level - 1] = row.ordered ? (numbers[row.level - 1] || 0) + 1 : 0;
        var indent = new Array(row.level).join("  ");
        var sign = row.ordered ? numbers[row.level - 1] + ". " : "- ";
        return indent + sign + row.text;
      })
      .join("\n");
  }

  function insert(node, text) {
    var start = node.selectionStart;
    var end = node.selectionEnd;
    node.value = node.value.slice(0, start) + text + node.value.slice(end);
    var caret = start + text.length;
    node.setSelectionRange(caret, caret);
  }

  function note(node, text) {
    var target = document.getElementById(node.id + "-note");
    if (target) {
      target.textContent = text;
    }
  }

  // Items in the following empty item fields: the first at the cursor, each
  // next one in the next empty item, the rest in the last one used. Text
  // around the list stays with the first and the last item.
  function spread(node, rows) {
    var first = -1;
    var last = -1;
    rows.forEach(function (row, index) {
      if (row.list && row.level === 1) {
        first = first < 0 ? index : first;
        last = index;
      }
    });
    // Each top-level item with what belongs to it (deeper items, and the
    // text before the first item or after the last).
    var items = [];
    rows.forEach(function (row, index) {
      if (row.list && row.level === 1) {
        items.push([row]);
      } else if (index < first) {
        (items.preface = items.preface || []).push(row);
      } else {
        items[items.length - 1].push(row);
      }
    });
    var empty = fields.filter(function (other) {
      return (
        other.dataset.key === "text" &&
        Number(other.dataset.slot) > Number(node.dataset.slot) &&
        !other.value.trim()
      );
    });
    var used = [node];
    var label = node.dataset.label;
    var texts = [
      asLines((items.preface || []).concat([{ text: items[0][0].text, list: false }]).concat(items[0].slice(1))),
    ];
    var rest = false;
    items.slice(1).forEach(function (item) {
      var text = asLines([{ text: item[0].text, list: false }].concat(item.slice(1)));
      if (used.length <= empty.length) {
        used.push(empty[used.length - 1]);
        texts.push(text);
      } else {
        rest = true;
        texts[texts.length - 1] += "\n" + asLines(item);
      }
    });
    insert(node, texts[0]);
    used.slice(1).forEach(function (other, index) {
      other.value = texts[index + 1];
    });
    used.forEach(function (other) {
      changed(other);
    });
    var labels = used.map(function (other) {
      return other.dataset.label;
    });
    var message = used.length > 1 ? format(msg.msgPasteSplit, { items: labels.join(", ") }) : "";
    if (rest) {
      message += (message ? " " : "") + format(msg.msgPasteRest, { item: labels[labels.length - 1] });
    }
    note(node, message || format(msg.msgPasteOne, { item: label }));
  }

  function onPaste(event) {
    var node = event.target;
    var data = event.clipboardData;
    if (!data) {
      return;
    }
    var rows = null;
    var html = data.getData("text/html");
    if (html && window.DOMParser) {
      rows = rowsFromHtml(html);
    }
    if (!rows || !rows.some(function (row) { return row.list; })) {
      rows = rowsFromText(data.getData("text/plain") || "");
    }
    if (!rows.some(function (row) { return row.list; })) {
      return; // No list: the browser pastes the text as it is.
    }
    event.preventDefault();
    var intoItems =
      msg.shape === "items" &&
      node.dataset.key === "text" &&
      rows.some(function (row) { return row.list && row.level === 1; });
    if (intoItems) {
      spread(node, rows);
    } else {
      insert(node, asLines(rows));
      changed(node);
      note(node, msg.msgPasteLines);
    }
  }

  fields.forEach(function (node) {
    grow(node);
    count(node);
    node.addEventListener("input", function () {
      grow(node);
      count(node);
    });
    node.addEventListener("focus", function () {
      grow(node); // answer.js may have put in text from the group meanwhile
    });
    node.addEventListener("paste", onPaste);
  });
  window.addEventListener("resize", function () {
    fields.forEach(grow);
  });
})();
