// Show only what applies to the chosen category; without JavaScript both stay visible.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=category]");
  function sync() {
    var chosen = document.querySelector("input[name=category]:checked");
    var pu = chosen && chosen.value === "PU";
    document.getElementById("pu-only").hidden = chosen && !pu;
    document.getElementById("bpu-only").hidden = pu;
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
