// Flask-Admin pages under the portal's Content-Security-Policy, which forbids inline script:
// what Flask-Admin's templates did in onclick attributes is done here (templates/admin/*).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) { return; }
    // "With selected" actions: <a data-admin-action="deactivate">.
    var action = target.closest("[data-admin-action]");
    if (action) {
      event.preventDefault();
      if (window.modelActions) { window.modelActions.execute(action.dataset.adminAction); }
      return;
    }
    // Delete buttons ask first: <button data-confirm="Are you sure…?">.
    var confirming = target.closest("[data-confirm]");
    if (confirming && !window.confirm(confirming.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // Links that only exist for their click handlers (href="javascript:void(0)"): never
    // navigate, so the browser does not try (and the CSP does not have to refuse) the URL.
    var link = target.closest("a[href^='javascript:'], [data-no-navigate]");
    if (link) { event.preventDefault(); }
  });
})();
