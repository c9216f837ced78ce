/* quanzi pages: copy buttons of the share sheet (works on content htmx swaps in). */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-copy]") : null;
  if (!button) return;
  var source = button.parentElement.querySelector(".copy-source");
  if (!source) return;
  source.select();
  var done = function () { button.dataset.copied = "1"; button.classList.add("button--ghost"); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});

/* countdowns of the campaign pages: <time data-countdown="seconds left when rendered">. */
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function show(el) {
    if (!el.dataset.end) el.dataset.end = String(Date.now() + Number(el.dataset.countdown) * 1000);
    var left = Math.max(0, Math.round((Number(el.dataset.end) - Date.now()) / 1000));
    if (left === 0) { el.textContent = el.dataset.done || "00:00:00"; return; }
    var days = Math.floor(left / 86400);
    el.textContent = (days ? days + (el.dataset.day || "d") + " " : "") +
      pad(Math.floor(left % 86400 / 3600)) + ":" + pad(Math.floor(left % 3600 / 60)) + ":" + pad(left % 60);
  }
  function tick() {
    var clocks = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < clocks.length; i++) show(clocks[i]);
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
