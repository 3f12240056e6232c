// Live discussion: while an article page is open, it hears of comments that readers can now
// read (app/live/stream.py) and offers "2 new comments — show"; the button fetches the
// discussion again and puts it in place, keeping drafts and collapsed threads. Without this
// script the page is unchanged: the comments are there at the next visit.
(function () {
  "use strict";

  var section = document.querySelector("section#discussion[data-live-url]");
  if (!section || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  // A page left in the background stops listening after a minute, and catches up on return.
  var BACKGROUND_MS = 60000;
  // After the server refused a stream (404, 429, 503): try again later, then less often.
  var RETRY_MS = [5000, 15000, 60000, 300000];

  var streamUrl = section.getAttribute("data-live-url");
  var after = section.getAttribute("data-live-after") || "0";
  var arrived = [];
  var source = null;
  var refusals = 0;
  var retryTimer = null;
  var backgroundTimer = null;

  // Announced politely when it changes; empty until a comment arrives.
  var notice = document.createElement("div");
  notice.className = "live-notice";
  notice.setAttribute("role", "status");
  notice.setAttribute("aria-live", "polite");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button live-show";
  button.addEventListener("click", show);

  function place() {
    var heading = section.querySelector("#discussion-heading");
    (heading || section.firstElementChild).insertAdjacentElement("afterend", notice);
  }

  // What the notice says, in the reader's language (templates/comments/_section.html).
  var texts = {};
  ["one", "many", "elsewhere-one", "elsewhere-many", "link-one", "link-many"].forEach(
    function (name) {
      texts[name] = section.getAttribute("data-live-" + name) || "";
    }
  );

  function text(name) {
    return texts[name];
  }

  function label(count) {
    return count === 1 ? text("one") : text("many").replace("{n}", String(count));
  }

  function render() {
    if (!arrived.length) {
      notice.textContent = "";
      return;
    }
    button.textContent = label(arrived.length);
    button.disabled = false;
    if (button.parentNode !== notice) {
      notice.textContent = "";
      notice.appendChild(button);
    }
  }

  function arrive(commentId) {
    // A comment already on the page (a reply shown as waiting, then approved) is not new.
    if (arrived.indexOf(commentId) >= 0 || document.getElementById("c" + commentId)) {
      return;
    }
    arrived.push(commentId);
    render();
  }

  function connect() {
    window.clearTimeout(retryTimer);
    if (source) {
      return;
    }
    source = new EventSource(streamUrl + "?after=" + encodeURIComponent(after));
    source.addEventListener("open", function () {
      refusals = 0;
    });
    source.addEventListener("comment", function (event) {
      if (event.lastEventId) {
        after = event.lastEventId;
      }
      arrive(JSON.parse(event.data).comment);
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself after a dropped connection, sending Last-Event-ID;
      // only a refusal closes the source.
      if (source && source.readyState === EventSource.CLOSED) {
        disconnect();
        retryTimer = window.setTimeout(connect, RETRY_MS[Math.min(refusals, RETRY_MS.length - 1)]);
        refusals += 1;
      }
    });
  }

  function disconnect() {
    window.clearTimeout(retryTimer);
    if (source) {
      source.close();
      source = null;
    }
  }

  function show() {
    button.disabled = true;
    fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      cache: "no-cache",
      headers: { Accept: "text/html" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("discussion");
        if (!fresh) {
          throw new Error("no discussion");
        }
        replace(fresh, page);
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function twin(element, within) {
    return element.id ? within.querySelector("#" + CSS.escape(element.id)) : null;
  }

  // What the reader was writing, and the reply forms they had open, stay as they were.
  function keepDrafts(from, to) {
    from.querySelectorAll("textarea").forEach(function (draft) {
      var same = twin(draft, to);
      if (!same || !draft.value) {
        return;
      }
      same.value = draft.value;
      var form = draft.closest("form");
      var sameForm = same.closest("form");
      if (form && sameForm && sameForm.id && !form.hidden && sameForm.hidden) {
        sameForm.hidden = false;
        var toggle = to.querySelector('[aria-controls="' + sameForm.id + '"]');
        if (toggle) {
          toggle.setAttribute("aria-expanded", "true");
        }
      }
    });
  }

  // Threads the reader collapsed stay collapsed.
  function keepCollapsed(from, to) {
    from.querySelectorAll("article.comment > details:not([open])").forEach(function (details) {
      var same = twin(details.parentNode, to);
      var sameDetails = same && same.querySelector(":scope > details");
      if (sameDetails) {
        sameDetails.open = false;
      }
    });
  }

  function replace(fresh, page) {
    var shown = arrived;
    arrived = [];
    keepDrafts(section, fresh);
    keepCollapsed(section, fresh);
    section.replaceWith(fresh);
    section = fresh;
    var count = document.querySelector('.byline a[href="#discussion"]');
    var freshCount = page.querySelector('.byline a[href="#discussion"]');
    if (count && freshCount) {
      count.textContent = freshCount.textContent;
    }
    place();
    render();
    fresh.dispatchEvent(new CustomEvent("discussion:replaced", { bubbles: true }));
    if (!section.hasAttribute("data-live-url")) {
      disconnect(); // the discussion was locked meanwhile
    }
    point(shown);
  }

  // Take the reader to the first comment that arrived, or say where the new ones are.
  function point(shown) {
    var first = null;
    shown.forEach(function (commentId) {
      var comment = document.getElementById("c" + commentId);
      if (comment) {
        comment.classList.add("comment-arrived");
        first = first || comment;
      }
    });
    if (first) {
      first.setAttribute("tabindex", "-1");
      // Smooth or not as the stylesheet says (prefers-reduced-motion).
      first.scrollIntoView({ block: "center" });
      first.focus({ preventScroll: true });
      return;
    }
    if (!shown.length) {
      return;
    }
    var message = document.createElement("p");
    message.className = "live-elsewhere";
    var one = shown.length === 1;
    message.textContent = text(one ? "elsewhere-one" : "elsewhere-many") + " ";
    var link = document.createElement("a");
    link.href = "/comments/" + shown[shown.length - 1];
    link.textContent = text(one ? "link-one" : "link-many");
    message.appendChild(link);
    notice.textContent = "";
    notice.appendChild(message);
    link.focus();
  }

  document.addEventListener("visibilitychange", function () {
    window.clearTimeout(backgroundTimer);
    if (document.hidden) {
      backgroundTimer = window.setTimeout(disconnect, BACKGROUND_MS);
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      connect();
    }
  });

  place();
  connect();
})();
