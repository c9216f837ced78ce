/* community buying's pages: 使用我的位置 (the browser's location, asked only on a tap), the
   batch total beside 立即下单, the 0-based quantity steppers, 扫码核销 with the
   BarcodeDetector API where the browser has one, and the print buttons. */
(function () {
  function say(form, text) {
    var box = form.querySelector("[data-locate-message]");
    if (box) { box.textContent = text; box.hidden = false; }
  }
  function locate(button, done) {
    var form = button.form;
    if (!navigator.geolocation) { say(form, button.dataset.denied); return; }
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (where) {
      button.disabled = false;
      done(form, where.coords.latitude.toFixed(6), where.coords.longitude.toFixed(6));
    }, function () {
      button.disabled = false;
      say(form, button.dataset.denied);
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) return;
    var find = target.closest("[data-locate]");
    if (find) {
      locate(find, function (form, lat, lng) {
        form.elements.lat.value = lat; form.elements.lng.value = lng; form.submit();
      });
      return;
    }
    var fill = target.closest("[data-locate-fill]");
    if (fill) {
      locate(fill, function (form, lat, lng) { form.elements.lat.value = lat; form.elements.lng.value = lng; });
      return;
    }
    var step = target.closest("[data-qty-step]");
    if (step) {
      var input = step.parentElement.querySelector("input[type=number]");
      var next = (Number(input.value) || 0) + Number(step.dataset.qtyStep);
      input.value = String(Math.min(Number(input.max || 99), Math.max(Number(input.min || 0), next)));
      total();
      return;
    }
    if (target.closest("[data-print]")) window.print();
  });

  function yuan(fen) { return "¥" + (fen / 100).toFixed(2); }
  function total() {
    var form = document.querySelector("form[data-total]");
    var out = document.querySelector("[data-total-out]");
    if (!form || !out) return;
    var sum = 0, inputs = form.querySelectorAll("input[data-price]");
    for (var i = 0; i < inputs.length; i++) sum += (Number(inputs[i].value) || 0) * Number(inputs[i].dataset.price);
    out.textContent = yuan(sum);
  }
  document.addEventListener("input", total);

  /* 扫码核销: the camera's frames through BarcodeDetector until a QR reads, then the form
     is sent with its digits. Without the API the button stays hidden: type the code. */
  function scanner() {
    var button = document.querySelector("[data-scan]");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve([]);
    formats.then(function (found) {
      if (found.indexOf("qr_code") >= 0) button.hidden = false;
    }, function () {});
    button.addEventListener("click", function () {
      var video = document.querySelector("[data-scan-video]");
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              var form = button.form;
              form.elements.code.value = codes[0].rawValue;
              form.submit();
            } else { requestAnimationFrame(look); }
          }, function () { requestAnimationFrame(look); });
        };
        look();
      }, function () { button.hidden = true; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { total(); scanner(); });
})();
