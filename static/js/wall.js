// The projector wall refreshes its answers every few seconds without reloading
// the page. It asks with the last ETag, so that an unchanged wall costs the
// server one small query and sends no body (304 Not Modified).
(function () {
  "use strict";

  var region = document.getElementById("wall-answers");
  var status = document.getElementById("wall-status");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.dataset.refreshUrl;
  var etag = region.dataset.etag || null;
  var interval = Number(region.dataset.interval || 4000);

  function poll() {
    var headers = { "X-Requested-With": "fetch" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 200) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        if (html !== null && html !== undefined) {
          // The fragment is rendered and escaped by the server's templates.
          region.innerHTML = html;
          status.textContent = status.dataset.msgUpdated;
        }
      })
      .catch(function () {
        // Offline for a moment: try again at the next tick.
      })
      .then(function () {
        setTimeout(poll, interval);
      });
  }

  setTimeout(poll, interval);
})();
