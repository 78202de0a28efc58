// Upload progress for forms marked data-upload. Without JavaScript the
// form posts as usual; with it, the same request goes through
// XMLHttpRequest so that a progress bar can show how far a large file is.
"use strict";
(function () {
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var box = form.querySelector(".progress");
    if (!box || !window.XMLHttpRequest || !window.FormData) {
      return;
    }
    var bar = box.querySelector("progress");
    var text = box.querySelector("span");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = form.querySelector("button");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.floor((e.loaded / e.total) * 100);
          bar.value = pct;
          text.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText); // the server's error page
        document.close();
      });
      xhr.addEventListener("error", function () {
        text.textContent = "✗";
        button.disabled = false;
      });
      box.hidden = false;
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  });
})();
