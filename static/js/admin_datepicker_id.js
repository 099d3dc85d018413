/* Flask-Admin's date pickers (bootstrap-daterangepicker) in Indonesian when the page is:
   day and month names, buttons, Monday first. Loaded after daterangepicker.js and before
   Flask-Admin's form.js, which passes only the date format; the format it passes is kept. */
(function () {
  'use strict';
  var $ = window.jQuery;
  if (!$ || !$.fn.daterangepicker || document.documentElement.lang !== 'id') {
    return;
  }
  var words = {
    applyLabel: 'Pilih',
    cancelLabel: 'Batal',
    fromLabel: 'Dari',
    toLabel: 'Sampai',
    customRangeLabel: 'Rentang lain',
    daysOfWeek: ['Mg', 'Sn', 'Sl', 'Rb', 'Km', 'Jm', 'Sb'],
    monthNames: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
    firstDay: 1
  };
  var original = $.fn.daterangepicker;
  $.fn.daterangepicker = function (options, callback) {
    var merged = $.extend(true, {}, options || {});
    merged.locale = $.extend({}, words, merged.locale || {});
    return original.call(this, merged, callback);
  };
})();
