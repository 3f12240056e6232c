// Small enhancements for the whole site; every page works without this file.
(function () {
  "use strict";

  // A button or form marked data-confirm asks before doing something hard to undo.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
