// Votes without reloading the page: posts the poll form to the API, then swaps in the panel
// as the server renders it after the vote (the results the voter may now see).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function ballot(form) {
    var data = new FormData(form);
    var body = {
      option_ids: data.getAll("option_ids").map(function (value) { return Number(value); })
    };
    var role = data.get("role");
    if (role) {
      body.role = role;
    }
    return body;
  }

  function showMessage(panel, text) {
    var box = panel.querySelector("[data-poll-message]");
    if (!box) {
      return;
    }
    box.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    box.appendChild(paragraph);
    box.setAttribute("role", "alert");
    box.classList.add("notice", "notice-danger");
  }

  function replacePanel(panel) {
    var counted = panel.getAttribute("data-counted-text");
    return fetch(panel.getAttribute("data-panel-url"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("panel");
      }
      return response.text();
    }).then(function (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var fresh = template.content.querySelector("[data-poll-panel]");
      if (!fresh) {
        throw new Error("panel");
      }
      var box = fresh.querySelector("[data-poll-message]");
      if (box) {
        box.textContent = "";
        var paragraph = document.createElement("p");
        paragraph.textContent = counted;
        box.appendChild(paragraph);
        box.classList.add("notice");
      }
      panel.replaceWith(fresh);
      var heading = fresh.querySelector(".poll-question");
      if (heading) {
        heading.focus();
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-poll-vote")) {
      return;
    }
    var panel = form.closest("[data-poll-panel]");
    if (!panel || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      button.disabled = true;
    }
    fetch(form.getAttribute("data-api-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(ballot(form))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = data.error && data.error.message;
          showMessage(panel, message || panel.getAttribute("data-failed-text"));
          if (button) {
            button.disabled = false;
          }
          return null;
        }
        return replacePanel(panel).catch(function () {
          // The vote is counted; only the fresh panel failed to arrive.
          window.location.reload();
        });
      });
    }, function () {
      // The request never reached the server: fall back to the ordinary form post.
      form.submit();
    });
  });
})();
