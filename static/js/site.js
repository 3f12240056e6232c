// Small enhancements for the whole site; every page works without this file.

// Pages that anonymous readers share carry no CSRF token (app/caching/tokens.py): the first
// time a reader focuses, presses or submits a form that posts, fetch one (this starts their
// session) and put it in every form and in the meta tag that scripts send with their requests.
// Without this script the form still works: the site asks the reader to confirm it once.
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="csrf-token"][data-token-url]');
  var fetching = null;

  function hasToken() {
    return !meta || meta.getAttribute("content") !== "";
  }

  function fillIn(token) {
    meta.setAttribute("content", token);
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
      if (!input.value) {
        input.value = token;
      }
    });
  }

  function fetchToken() {
    if (!fetching) {
      fetching = fetch(meta.getAttribute("data-token-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("token");
        }
        return response.json();
      }).then(function (data) {
        fillIn(data.csrf_token);
      }).catch(function (error) {
        fetching = null;
        throw error;
      });
    }
    return fetching;
  }

  function postingForm(target) {
    var form = target instanceof Element ? target.closest("form") : null;
    return form && form.method === "post" ? form : null;
  }

  function prepare(event) {
    if (!hasToken() && window.fetch && postingForm(event.target)) {
      fetchToken().catch(function () {});
    }
  }

  document.addEventListener("focusin", prepare);
  document.addEventListener("pointerdown", prepare);

  // Registered before every other submit handler (this block comes first in the first
  // script), so they all see the form with its token.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (hasToken() || !window.fetch || !(form instanceof HTMLFormElement) || form.method !== "post") {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    fetchToken().then(function () {
      if (form.requestSubmit) {
        form.requestSubmit(submitter || undefined);
      } else {
        form.submit();
      }
    }, function () {
      // Sent without a token, the form comes back on a page that asks to confirm it.
      form.submit();
    });
  });
})();

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
