/* Photos picked in a plain form (input[type=file][data-compress]) are shrunk on the phone to
   ~1600 px JPEG at quality 0.7 before the form is sent, as the grid app and 随手拍 do: a phone
   photo of 3–5 MB would be refused (the server takes ≤ 600 KB a photo) and costs a grid worker
   with one bar of signal minutes. Without this script the original goes and the server says why. */
(function () {
  function shrink(file) {
    return new Promise(function (resolve) {
      // A data: URL, not a blob: one: the CSP's img-src allows 'self' and data: only.
      var reader = new FileReader();
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.7);
      };
      img.onerror = function () { resolve(file); };
      reader.onload = function () { img.src = reader.result; };
      reader.onerror = function () { resolve(file); };
      reader.readAsDataURL(file);
    });
  }
  document.querySelectorAll("input[type=file][data-compress]").forEach(function (input) {
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || typeof DataTransfer === "undefined") { return; }
      var form = input.form;
      var buttons = form ? form.querySelectorAll("button") : [];
      buttons.forEach(function (b) { b.disabled = true; });
      Promise.all(files.map(shrink)).then(function (small) {
        var list = new DataTransfer();
        small.forEach(function (f) { list.items.add(f); });
        input.files = list.files;
        buttons.forEach(function (b) { b.disabled = false; });
      });
    });
  });
})();
