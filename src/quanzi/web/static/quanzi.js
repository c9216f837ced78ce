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

/* the +/− quantity stepper: <button data-step="±1"> beside its number input. */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-step]") : null;
  if (!button) return;
  var input = button.parentElement.querySelector("input[type=number]");
  if (!input) return;
  var next = (Number(input.value) || 1) + Number(button.dataset.step);
  var low = Number(input.min || 1), high = Number(input.max || 999);
  input.value = String(Math.min(high, Math.max(low, next)));
});

/* the toast (加入购物车 and the like) fades out a moment after htmx fills it. */
document.addEventListener("htmx:afterSwap", function (event) {
  var toast = event.detail && event.detail.target;
  if (!toast || toast.id !== "toast") return;
  toast.classList.add("toast--on");
  clearTimeout(toast._hide);
  toast._hide = setTimeout(function () { toast.classList.remove("toast--on"); }, 2500);
});
