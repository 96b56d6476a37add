// The PDF page follows its export (i kø → lages → klar / feilet) without a
// reload, by asking the status address every two seconds until it is done.
(function () {
  "use strict";

  var box = document.getElementById("pdf-export");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.dataset.statusUrl;
  var statusNode = document.getElementById("pdf-status");
  var progress = document.getElementById("pdf-progress");
  var errorNode = document.getElementById("pdf-error");
  var download = document.getElementById("pdf-download");
  var steps = { queued: 1, running: 2, ready: 3, failed: 3 };

  function show(data) {
    statusNode.textContent = data.label;
    progress.value = steps[data.status] || 1;
    if (data.status === "failed") {
      errorNode.textContent = data.error;
      errorNode.hidden = false;
    }
    if (data.status === "ready") {
      download.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          show(data);
          if (data.status === "ready" || data.status === "failed") {
            if (data.status === "failed") {
              window.location.reload();
            }
            return;
          }
        }
        setTimeout(poll, 2000);
      })
      .catch(function () {
        setTimeout(poll, 4000);
      });
  }

  if (box.dataset.status === "queued" || box.dataset.status === "running") {
    setTimeout(poll, 1000);
  }
})();
