// Flask-Admin pages (templates/admin/*) on the portal's Bootstrap 5 and under its
// Content-Security-Policy, which forbids inline script. Loaded after jQuery and Bootstrap 5's
// bundle, before Flask-Admin's own scripts.
(function () {
  "use strict";
  var $ = window.jQuery;

  // Flask-Admin's filter script (admin/js/bs4_filters.js) starts with Bootstrap 4's jQuery
  // call $(...).tooltip(options). Bootstrap 5 only adds its jQuery plugins once the document
  // has loaded, after that script has run (and stopped on the missing function), so the call
  // goes to Bootstrap 5's Tooltip here. Nothing else of Bootstrap 4 is needed: the templates
  // use data-bs-* markup, which Bootstrap 5 runs by itself.
  if ($ && !$.fn.tooltip && window.bootstrap) {
    $.fn.tooltip = function (options) {
      return this.each(function () {
        window.bootstrap.Tooltip.getOrCreateInstance(this, options);
      });
    };
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) { return; }
    // "With selected" actions: <button data-admin-action="deactivate">.
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
      event.stopImmediatePropagation();
      return;
    }
    // A record in a modal (create_modal, edit_modal, details_modal): Bootstrap 5 opens the
    // modal, its content comes from the link (what admin/js/bs4_modal.js did for Bootstrap 4's
    // data-toggle), and its form widgets get Flask-Admin's styling (select2, date pickers).
    var modalLink = target.closest("[data-admin-modal]");
    if (modalLink && $) {
      var content = $(modalLink.getAttribute("data-bs-target") + " .modal-content");
      content.load(modalLink.getAttribute("href"), function () {
        if (window.faForm) { window.faForm.applyGlobalStyles(content[0]); }
      });
    }
    // Links that only exist for their click handlers (href="javascript:void(0)"): never
    // navigate, so the browser does not try (and the CSP does not have to refuse) the URL.
    var link = target.closest("a[href^='javascript:'], [data-no-navigate]");
    if (link) { event.preventDefault(); }
  });
})();
