// «Copy» buttons: a button with data-copy="<id>" copies that field's text.
// The buttons are hidden until this script shows them; without it, the text
// is still there to select and copy by hand.
(function () {
  "use strict";

  function show(root) {
    Array.prototype.forEach.call(
      root.querySelectorAll("button[data-copy]"),
      function (button) {
        button.hidden = false;
      }
    );
  }

  function copied(button) {
    var state = button.parentNode.querySelector(".copy-state");
    if (state) {
      state.textContent = button.dataset.msgCopied || "";
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.dataset.copy);
    if (!source) {
      return;
    }
    source.focus();
    source.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(
        function () {
          copied(button);
        },
        function () {
          // Refused: the text is selected, for the keyboard's copy.
        }
      );
    } else if (document.execCommand && document.execCommand("copy")) {
      copied(button);
    }
  });

  window.miprShowCopyButtons = show;
  show(document);
})();
