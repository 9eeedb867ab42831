// Polls the roster import's status and reloads the page when it has finished.
(function () {
  var box = document.getElementById("roster-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var phases = { check: "正在检查", write: "正在写入" };
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.finished) { window.location.reload(); return; }
        if (s.total > 0) {
          bar.value = Math.round(100 * s.done / s.total);
          text.textContent = (phases[s.phase] || "正在处理") + "：" + s.done + " / " + s.total;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
