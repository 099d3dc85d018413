// With JavaScript the check runs in chunks and the report page shows its progress.
(function () {
  "use strict";
  document.getElementById("js-flag").value = "1";
  document.getElementById("upload-form").addEventListener("submit", function () {
    document.getElementById("upload-status").hidden = false;
  });
})();
