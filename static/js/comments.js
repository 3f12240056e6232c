// Live preview for comment forms (the server renders and sanitises, the page only shows it),
// and reply forms that open in place.
(function () {
  "use strict";

  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var previewUrl = "/comments/preview";
  var DELAY_MS = 400;

  function attach(form) {
    var textarea = form.querySelector("textarea[name=body]");
    var preview = form.querySelector(".comment-preview");
    if (!textarea || !preview || !tokenMeta) {
      return;
    }
    preview.setAttribute("aria-live", "polite");
    var counter = document.createElement("p");
    counter.className = "comment-length";
    textarea.insertAdjacentElement("afterend", counter);
    var timer = null;
    var latest = 0;

    function render() {
      var text = textarea.value;
      var request = ++latest;
      var body = new URLSearchParams();
      body.set("body", text);
      fetch(previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenMeta.content },
        body: body
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || request !== latest) {
            return;
          }
          // data.html was sanitised by the server with the same rules as stored comments.
          preview.innerHTML = data.html;
          preview.hidden = data.html === "";
          // "{length} of {limit} characters", in the reader's language (the page says it).
          counter.textContent = (preview.getAttribute("data-length-text") || "{length} / {limit}")
            .replace("{length}", String(data.length))
            .replace("{limit}", String(data.max_length));
          counter.classList.toggle("over", data.length > data.max_length);
        })
        .catch(function () { /* the form still works without a preview */ });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DELAY_MS);
    });
  }

  // "Reply" opens the reply form in place instead of going to the reply page.
  function attachReplyToggle(button) {
    var form = document.getElementById(button.getAttribute("aria-controls"));
    if (!form) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var opening = form.hidden;
      form.hidden = !opening;
      button.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) {
        form.querySelector("textarea").focus();
      }
    });
  }

  function enhance(root) {
    root.querySelectorAll("form.comment-form").forEach(attach);
    root.querySelectorAll("[data-reply-toggle]").forEach(attachReplyToggle);
  }

  enhance(document);
  // The discussion shown again with the comments that arrived (live.js).
  document.addEventListener("discussion:replaced", function (event) {
    enhance(event.target);
  });
})();
