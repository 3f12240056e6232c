// Keyboard shortcuts for the moderation queue: j/k move between items, a approve,
// r remove (focuses the rule), f feature, x select. Ignored while typing in a field.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-queue-item]"));
  if (!items.length) return;
  var current = -1;

  function focusItem(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove("is-current");
    current = index;
    items[current].classList.add("is-current");
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j") { focusItem(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusItem(Math.max(current - 1, 0)); event.preventDefault(); return; }
    if (current < 0) return;
    var item = items[current];
    if (key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
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
