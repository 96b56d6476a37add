// The week grid opens at its focus week (#grid-focus: today's, or the next
// milestone's): the grid's own region scrolls sideways, the page does not move.
// Without this script the page's link to #grid-focus does the same.
(function () {
  "use strict";

  function open(region) {
    var target = region.querySelector("#grid-focus");
    if (!target || region.scrollWidth <= region.clientWidth) {
      return;
    }
    // scroll-margin-left keeps the column clear of the sticky label column.
    var margin = parseFloat(getComputedStyle(target).scrollMarginLeft) || 0;
    var offset =
      target.getBoundingClientRect().left - region.getBoundingClientRect().left;
    region.scrollLeft += offset - margin;
  }

  function start() {
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-week-grid]"),
      open
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
