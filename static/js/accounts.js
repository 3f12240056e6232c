// Shows the discipline and credentials fields only while "professional" is the chosen role.
(function () {
  "use strict";

  var group = document.querySelector("[data-professional-fields]");
  var radios = document.querySelectorAll('input[name="community_role"]');
  if (!group || !radios.length) {
    return;
  }

  function update() {
    var chosen = document.querySelector('input[name="community_role"]:checked');
    var isProfessional = chosen && chosen.value === "professional";
    var hasErrors = group.querySelector(".has-error") !== null;
    group.hidden = !isProfessional && !hasErrors;
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
