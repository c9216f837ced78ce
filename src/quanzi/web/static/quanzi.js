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
