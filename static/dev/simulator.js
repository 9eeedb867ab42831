// The resident simulator page (development only).  No inline script: CSP is script-src 'self'.
(function () {
  "use strict";

  var POLL_MS = 1500;
  var since = 0;
  var polling = null;

  function $(id) { return document.getElementById(id); }

  function csrfHeaders(extra) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var headers = extra || {};
    if (meta) { headers["X-CSRFToken"] = meta.getAttribute("content"); }
    return headers;
  }

  function openid() { return $("openid").value.trim(); }

  function show(side, text, tag) {
    var item = document.createElement("li");
    item.className = side;
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    if (tag) {
      var label = document.createElement("span");
      label.className = "tag";
      label.textContent = tag;
      bubble.appendChild(label);
    }
    bubble.appendChild(document.createTextNode(text));
    item.appendChild(bubble);
    $("chat").appendChild(item);
    $("chat").scrollTop = $("chat").scrollHeight;
  }

  function showAnswer(data) {
    if (data.error) { show("error", data.error); return; }
    if (data.status !== 200) { show("error", "HTTP " + data.status + "：" + data.reply); return; }
    if (data.passive) { show("bot", data.reply); }
    else { show("system", "（已收到，回复将通过客服消息送达）"); }
    pollSoon();
  }

  function post(url, body, isForm) {
    var options = { method: "POST", credentials: "same-origin", body: body,
                    headers: csrfHeaders(isForm ? {} : { "Content-Type": "application/json" }) };
    return fetch(url, options)
      .then(function (resp) { return resp.json(); })
      .then(showAnswer)
      .catch(function (err) { show("error", "发送失败：" + err); });
  }

  function send(kind, fields, echo) {
    var payload = { openid: openid(), kind: kind };
    Object.keys(fields || {}).forEach(function (k) { payload[k] = fields[k]; });
    show("me", echo);
    return post("send", JSON.stringify(payload), false);
  }

  function poll() {
    var url = "delivered?openid=" + encodeURIComponent(openid()) + "&since=" + since;
    return fetch(url, { credentials: "same-origin" })
      .then(function (resp) { return resp.json(); })
      .then(function (data) {
        var status = $("fake-status");
        if (data.error) { status.textContent = data.error; return; }
        if (!data.reachable) {
          status.textContent = "模拟微信接口未连接：客服消息无法显示（python -m fakewechat --port 5099）";
          return;
        }
        status.textContent = "模拟微信接口已连接：客服消息会自动显示";
        since = data.next;
        data.messages.forEach(function (m) {
          show("pushed", m.text, m.kind === "template" ? "模板消息" : "客服消息");
        });
      })
      .catch(function () { $("fake-status").textContent = "无法读取已送达消息"; });
  }

  function pollSoon() { window.setTimeout(poll, 300); }

  function restart() {
    since = 0;
    $("chat").textContent = "";
    show("system", "你现在是居民 " + openid());
    if (polling) { window.clearInterval(polling); }
    poll();
    polling = window.setInterval(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("compose").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = $("message").value;
      if (!text.trim()) { return; }
      $("message").value = "";
      if ($("as-voice").checked) { send("voice", { text: text }, "［语音］" + text); }
      else { send("text", { text: text }, text); }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".menu-key"), function (button) {
      button.addEventListener("click", function () {
        send("click", { key: button.getAttribute("data-key") }, "［菜单］" + button.textContent.trim());
      });
    });
    $("subscribe").addEventListener("click", function () {
      var scene = $("scene").value.trim();
      send("subscribe", { scene: scene }, "［扫码关注］" + (scene || "（无场景值）"));
    });
    $("scan").addEventListener("click", function () {
      send("scan", { scene: $("scene").value.trim() }, "［已关注扫码］" + $("scene").value.trim());
    });
    $("unsubscribe").addEventListener("click", function () { send("unsubscribe", {}, "［取消关注］"); });
    $("send-location").addEventListener("click", function () {
      send("location", { lat: $("lat").value, lng: $("lng").value, label: $("label").value },
           "［位置］" + ($("label").value || ($("lat").value + ", " + $("lng").value)));
    });
    $("photo-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var file = $("photo").files[0];
      if (!file) { show("error", "请选择一张照片"); return; }
      var form = new FormData();
      form.append("openid", openid());
      form.append("photo", file);
      show("me", "［照片］" + file.name);
      post("photo", form, true);
    });
    $("openid").addEventListener("change", restart);
    restart();
  });
})();
