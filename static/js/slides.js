// The findings summary as slides (templates/findings/slides.html): one section
// at a time, moved with the arrow keys, a clicker (PageDown/PageUp), Space,
// Home and End, and shown full screen on request. Without this script every
// slide is a section on the page, one below the other.
(function () {
  "use strict";
  const deck = document.querySelector("[data-slides]");
  if (!deck) return;
  const slides = Array.from(deck.querySelectorAll(":scope > section.slide"));
  const status = document.querySelector("[data-slides-status]");
  const controls = document.querySelector("[data-slides-controls]");
  const fullscreen = document.querySelector("[data-slides-fullscreen]");
  let current = 0;

  function show(index, announce) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, n) {
      slide.hidden = n !== current;
    });
    const id = slides[current].id;
    if (id && window.location.hash !== "#" + id) {
      history.replaceState(null, "", "#" + id);
    }
    if (announce && status) {
      status.textContent = status.dataset.msgStatus
        .replace("{n}", current + 1)
        .replace("{total}", slides.length);
    }
  }

  const fromHash = slides.findIndex(function (slide) {
    return "#" + slide.id === window.location.hash;
  });
  deck.classList.add("slides-on");
  show(fromHash < 0 ? 0 : fromHash, false);
  if (controls) controls.hidden = false;

  const moves = {
    ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1,
    ArrowLeft: -1, ArrowUp: -1, PageUp: -1,
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    // Keys belong to a form field; Space also to a focused button or link.
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === " " && target.closest("button, a, summary")) return;
    if (event.key === "Home") {
      show(0, true);
    } else if (event.key === "End") {
      show(slides.length - 1, true);
    } else if (event.key in moves) {
      const step = event.shiftKey && event.key === " " ? -1 : moves[event.key];
      show(current + step, true);
    } else {
      return;
    }
    event.preventDefault();
  });

  document.querySelector("[data-slides-prev]").addEventListener("click", function () {
    show(current - 1, true);
  });
  document.querySelector("[data-slides-next]").addEventListener("click", function () {
    show(current + 1, true);
  });

  if (!document.fullscreenEnabled || !deck.requestFullscreen) {
    fullscreen.hidden = true;
    return;
  }
  fullscreen.addEventListener("click", function () {
    deck.requestFullscreen().catch(function () {});
  });
  // A click on the slide itself moves on, as a clicker would, in full screen.
  deck.addEventListener("click", function (event) {
    if (document.fullscreenElement !== deck || event.target.closest("a")) return;
    show(current + 1, true);
  });
})();
