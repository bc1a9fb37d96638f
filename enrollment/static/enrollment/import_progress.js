// Polls the import's progress (JSON) and reloads the page once the work is done.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-status]");
  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        label.textContent = data.status_label + " " + data.progress + "%";
        if (data.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
