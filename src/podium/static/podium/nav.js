/* Podium program tab bar: the groups' menus (Delivery, Money, Risk, People, …).
 *
 * Wide screens show every group's tabs in the bar, and this file does nothing there.
 * Below 1200 px each group is a button whose menu opens on hover and keyboard focus
 * (CSS :hover and :focus-within); this file adds click/Enter to open and close it,
 * Escape to close it and return to its button, a click elsewhere to close it, and keeps
 * aria-expanded in step. The page's own group shows its tabs as a second row.
 */
(function () {
  "use strict";

  function groups() {
    return Array.prototype.slice.call(document.querySelectorAll(".tabbar .tabgroup"));
  }

  function setOpen(group, open) {
    group.classList.toggle("tabgroup-open", open);
    var button = group.querySelector(".tabgroup-toggle");
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function closeAll(except) {
    groups().forEach(function (g) { if (g !== except) setOpen(g, false); });
  }

  function init() {
    groups().forEach(function (group) {
      var button = group.querySelector(".tabgroup-toggle");
      if (!button) return;
      button.addEventListener("click", function () {
        var open = !group.classList.contains("tabgroup-open");
        closeAll(group);
        setOpen(group, open);
      });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && group.classList.contains("tabgroup-open")) {
          setOpen(group, false);
          button.focus();
        }
      });
      group.addEventListener("focusout", function (event) {
        if (!group.contains(event.relatedTarget)) setOpen(group, false);
      });
    });
    document.addEventListener("click", function (event) {
      var inside = event.target.closest && event.target.closest(".tabbar .tabgroup");
      closeAll(inside || null);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
