// The confirmation step in a dialog. A form with data-confirm (or a form sent
// with a submit button that has data-confirm, when only that button's action
// asks) is posted without "confirmed"; the server answers with its confirmation page
// (mipr/confirm.py), whose #confirmation section is shown here in a modal
// dialog. Its own form re-posts with confirmed=1, as it does without this
// script. Cancel, Escape or a click outside closes the dialog and gives the
// focus back to the button that opened it.
(function () {
  "use strict";

  if (!window.fetch || !window.HTMLDialogElement || !window.FormData) {
    return;
  }

  var dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirmation-question");
  document.body.appendChild(dialog);
  var opener = null;

  var asking = null; // the form whose question is on its way or shown

  function close() {
    dialog.close();
    dialog.innerHTML = "";
    asking = null;
    if (opener) {
      opener.focus();
    }
  }

  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      close();
    }
    var cancel = event.target.closest("[data-confirm-cancel]");
    if (cancel) {
      event.preventDefault();
      close();
    }
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    close();
  });
  // Once: a second press while the next page loads does nothing. (The
  // server refuses a second confirmed request too; this spares the message.)
  // Disabled after the event, so that the pressed button's value is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]") || event.defaultPrevented) {
      return;
    }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // Back to this page from the browser's cache: the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document
        .querySelectorAll("form[data-once] button[type=submit]")
        .forEach(function (button) {
          button.disabled = false;
        });
    }
  });

  function sendAsItIs(form, submitter) {
    asking = null;
    form.dataset.confirmed = "pending";
    if (submitter && submitter.name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.appendChild(input);
    }
    form.submit();
  }

  function asks(form, submitter) {
    if (form.dataset.confirmed) {
      return false;
    }
    return (
      form.matches("form[data-confirm]") ||
      Boolean(submitter && submitter.hasAttribute("data-confirm"))
    );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!asks(form, event.submitter)) {
      return;
    }
    event.preventDefault();
    if (asking) {
      return; // a second press while the question is on its way or shown
    }
    asking = form;
    opener = event.submitter || form.querySelector("[type=submit]");
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    // Not form.action: a field named "action" (the answer form's buttons)
    // would stand in for it.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.text().then(function (text) {
          return { response: response, text: text };
        });
      })
      .then(function (result) {
        var page = new DOMParser().parseFromString(result.text, "text/html");
        var section = page.getElementById("confirmation");
        if (!section) {
          // Not a question (refused, say): the page itself tells why.
          sendAsItIs(form, event.submitter);
          return;
        }
        dialog.innerHTML = "";
        dialog.appendChild(document.importNode(section, true));
        dialog.showModal();
        var cancel = dialog.querySelector("[data-confirm-cancel]");
        if (cancel) {
          cancel.focus();
        }
      })
      .catch(function () {
        // No answer: send the form as it is, and let the server ask.
        sendAsItIs(form, event.submitter);
      });
  });
})();
