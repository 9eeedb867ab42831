// Show or hide questions by their show_if conditions while the resident answers.
// The server decides what counts (hidden answers are dropped there); without
// JavaScript every question stays visible and the page still works.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) { return; }

  function valueOf(fs) {
    // The question type says how its value reads (data-value: one, number, many, ranked, grid).
    var code = fs.getAttribute("data-code"), shape = fs.getAttribute("data-value");
    var inputs = fs.querySelectorAll("input, textarea, select");
    if (shape === "many") {
      return Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (shape === "ranked") {
      var ranked = Array.prototype.filter.call(inputs, function (i) { return i.value; });
      ranked.sort(function (a, b) { return Number(a.value) - Number(b.value); });
      return ranked.map(function (i) { return i.name.slice(code.length + 1); });
    }
    if (shape === "grid") {
      var grid = {};
      Array.prototype.forEach.call(inputs, function (i) { if (i.checked) { grid[i.name.slice(code.length + 1)] = i.value; } });
      return grid;
    }
    for (var k = 0; k < inputs.length; k++) {
      var input = inputs[k];
      if (input.type === "radio") { if (input.checked) { return input.value; } }
      else if (input.type !== "file") { return input.value === "" ? null : (shape === "number" ? Number(input.value) : input.value); }
    }
    return null;
  }

  function answered(v) {
    return !(v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length) ||
             (typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length));
  }
  function isIn(v, x) {
    var list = Array.isArray(x) ? x : [x];
    return Array.isArray(v) ? v.some(function (i) { return list.indexOf(i) >= 0; }) : list.indexOf(v) >= 0;
  }
  var OPS = {
    answered: function (v) { return answered(v); },
    not_answered: function (v) { return !answered(v); },
    equals: function (v, x) { return v === x; },
    not_equals: function (v, x) { return v !== x; },
    "in": isIn,
    not_in: function (v, x) { return !isIn(v, x); },
    contains: function (v, x) { return Array.isArray(v) ? v.indexOf(x) >= 0 : (v && typeof v === "object" && x in v); },
    not_contains: function (v, x) { return !OPS.contains(v, x); },
    gt: function (v, x) { return Number(v) > Number(x); },
    gte: function (v, x) { return Number(v) >= Number(x); },
    lt: function (v, x) { return Number(v) < Number(x); },
    lte: function (v, x) { return Number(v) <= Number(x); }
  };

  function holds(cond, answers) {
    if (!cond || !Object.keys(cond).length) { return true; }
    if (cond.all) { return cond.all.every(function (c) { return holds(c, answers); }); }
    if (cond.any) { return cond.any.some(function (c) { return holds(c, answers); }); }
    var op = OPS[cond.op];
    return op ? !!op(answers[cond.question], cond.value) : true;
  }

  function refresh() {
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-if]"), function (el) {
      var shown = holds(JSON.parse(el.getAttribute("data-show-if") || "{}"), answers);
      el.hidden = !shown;
      var code = el.getAttribute("data-code");
      if (code && shown) { answers[code] = valueOf(el); }
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll(".cond"), function (el) { el.hidden = true; });
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
