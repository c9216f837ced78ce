/* The new-address fields (partials/address_fields.html): the 省/市/区 picker fed by
   /api/v1/regions, and 智能填写 from a pasted address (POST /me/addresses/parse). The
   picker writes the region's text and code; typing the region instead drops the code. */
(function () {
  var lists = {};
  function regionsOf(parent) {
    var key = parent || "";
    if (!lists[key]) {
      lists[key] = fetch("/api/v1/regions" + (parent ? "?parent=" + parent : ""))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (body) { return body.items; });
    }
    return lists[key];
  }
  function fill(select, items) {
    select.length = 1;
    items.forEach(function (item) {
      var option = new Option(item.name, item.code);
      option.dataset.leaf = item.leaf ? "1" : "";
      select.add(option);
    });
    select.disabled = items.length === 0;
  }
  function setUp(box) {
    var picker = box.querySelector("[data-picker]");
    var selects = picker.querySelectorAll("select");
    var code = box.querySelector("input[name=region_code]");
    var region = box.querySelector("input[name=region]");
    function clearFrom(level) {
      for (var i = level; i < selects.length; i++) { selects[i].length = 1; selects[i].disabled = true; }
    }
    function record() {
      var names = [], last = "";
      selects.forEach(function (s) {
        var o = s.options[s.selectedIndex];
        if (s.value && o) {
          last = s.value;
          if (names.indexOf(o.text) < 0 && o.text.indexOf("直辖") < 0) names.push(o.text);
        }
      });
      code.value = last;
      region.value = names.join(" ");
    }
    function choose(level, value) {
      var select = selects[level];
      select.value = value;
      clearFrom(level + 1);
      record();
      var o = select.options[select.selectedIndex];
      var last = level + 1 >= selects.length;
      if (!value || !o || o.value !== value || o.dataset.leaf || last) return Promise.resolve();
      return regionsOf(value).then(function (items) { fill(selects[level + 1], items); });
    }
    selects.forEach(function (select, level) {
      select.addEventListener("change", function () { choose(level, select.value); });
    });
    var ready = regionsOf("").then(function (items) { fill(selects[0], items); });
    box.pickPath = function (codes) {
      var step = ready;
      codes.forEach(function (c, level) {
        step = step.then(function () { return c ? choose(level, c) : null; });
      });
      return step;
    };
    picker.hidden = false;  /* the text field stays: what was picked, or typed instead */
    var label = box.querySelector("[data-region-label]");
    if (label) label.textContent = label.dataset.picked;
    region.addEventListener("input", function () { code.value = ""; });
    var paste = box.querySelector("[data-paste]");
    if (paste) paste.hidden = false;
    var start = picker.dataset.code;
    if (start && start.length === 6) box.pickPath(pathOf(start));
  }
  function pathOf(code) {
    var province = code.slice(0, 2) + "0000", city = code.slice(0, 4) + "00";
    if (code === province) return [province];
    return code === city ? [province, city] : [province, city, code];
  }
  function csrf() {
    var holder = document.querySelector("[hx-headers]");
    try { return JSON.parse(holder.getAttribute("hx-headers"))["X-CSRF-Token"]; } catch (e) { return ""; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-paste-fill]") : null;
    if (!button) return;
    var box = button.closest("[data-address-new]");
    var text = box.querySelector("[data-paste-text]").value;
    var note = box.querySelector("[data-paste-note]");
    var body = new URLSearchParams({ text: text });
    fetch("/me/addresses/parse", { method: "POST", body: body,
      headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (found) {
        ["name", "phone", "detail"].forEach(function (field) {
          if (found[field]) box.querySelector("input[name=" + field + "]").value = found[field];
        });
        note.textContent = "";
        useNew(box);
        if (found.region_code) return box.pickPath(pathOf(found.region_code));
      })
      .catch(function () { note.textContent = button.dataset.failed; });
  });
  function useNew(box) {
    var card = box.closest("[data-testid=address-card]");
    var radio = card && card.querySelector("[data-new-address]");
    if (radio) radio.checked = true;
  }
  document.addEventListener("input", function (event) {
    var box = event.target.closest ? event.target.closest("[data-address-new]") : null;
    if (box && !event.target.matches("[data-paste-text]")) useNew(box);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-address-new]").forEach(setUp);
  });
})();
