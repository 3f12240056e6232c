// "Helpful" without a page reload: the form still works on its own; this only avoids the
// round trip and keeps the button's pressed state and count in step with the server.
(function () {
  "use strict";

  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  if (!tokenMeta || !window.fetch) {
    return;
  }

  function announce(form, text) {
    var status = form.querySelector(".helpful-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "helpful-status";
      status.setAttribute("role", "status");
      form.appendChild(status);
    }
    status.textContent = text ? " " + text : "";
  }

  function show(form, state) {
    var button = form.querySelector(".helpful-button");
    form.querySelector("input[name=marked]").value = state.marked ? "0" : "1";
    button.setAttribute("aria-pressed", state.marked ? "true" : "false");
    button.querySelector(".helpful-count").textContent = String(state.helpful_count);
    button.querySelector(".helpful-check").textContent = state.marked ? "\u2713 " : "";
  }

  function submit(event) {
    var form = event.target.closest("form.helpful-form");
    if (!form) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector(".helpful-button");
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenMeta.content, "Accept": "application/json" },
      body: new FormData(form)
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          show(form, result.data);
          announce(form, "");
        } else {
          announce(
            form,
            result.data.error ? result.data.error.message : form.getAttribute("data-retry-text")
          );
        }
      })
      .catch(function () {
        // Without an answer, fall back to the plain form post.
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  document.addEventListener("submit", submit);
})();
