// Keyboard shortcuts for the moderation queue: j/k move between items, a approve,
// r remove (focuses the rule), f feature, x select. They act only while focus is in the queue
// (Tab reaches its first item), so they never take keys from screen readers or other pages,
// and never while typing in a field. Each control names its key in aria-keyshortcuts.
(function () {
  "use strict";
  var queue = document.querySelector("[data-queue]");
  var items = queue ? Array.prototype.slice.call(queue.querySelectorAll("[data-queue-item]")) : [];
  if (!items.length) return;
  var current = -1;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  queue.insertAdjacentElement("afterend", status);

  function mark(index) {
    if (current >= 0) {
      items[current].classList.remove("is-current");
      items[current].setAttribute("tabindex", "-1");
    }
    current = index;
    items[current].classList.add("is-current");
    items[current].setAttribute("tabindex", "0");
  }

  function focusItem(index) {
    if (index < 0 || index >= items.length) return;
    mark(index);
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target.tagName;
    var choice = tag === "INPUT" && (target.type === "checkbox" || target.type === "radio");
    return (tag === "INPUT" && !choice) || tag === "TEXTAREA" || tag === "SELECT" ||
      target.isContentEditable;
  }

  // The first item is in the Tab order; afterwards, the item last worked on.
  items[0].setAttribute("tabindex", "0");

  queue.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-queue-item]");
    var index = items.indexOf(item);
    if (index >= 0 && index !== current) mark(index);
  });

  queue.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j") { focusItem(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusItem(Math.max(current - 1, 0)); event.preventDefault(); return; }
    if (current < 0) return;
    var item = items[current];
    if (key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box) {
        box.checked = !box.checked;
        // In the page's language: the template gives both words.
        var said = queue.getAttribute(box.checked ? "data-selected-text" : "data-unselected-text");
        status.textContent = said + " " + box.labels[0].textContent;
      }
      event.preventDefault();
      return;
    }
    if (key === "r") {
      var rule = item.querySelector(".remove-form select");
      if (rule) { rule.focus(); event.preventDefault(); }
      return;
    }
    var button = item.querySelector('[data-shortcut="' + key + '"]');
    if (button) { button.click(); event.preventDefault(); }
  });
})();
