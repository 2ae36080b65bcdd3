// On a narrow screen a wide table scrolls in its own box (site.css). A box that holds
// no link or field cannot be reached with the keyboard, so it takes the focus itself
// (WCAG 2.1.1): then the arrow keys scroll it.
(() => {
  const focusable = "a[href], button, input, select, textarea, [tabindex]";
  const update = () => {
    document.querySelectorAll(".site-main table").forEach((table) => {
      const scrolls = table.scrollWidth > table.clientWidth;
      if (scrolls && !table.querySelector(focusable)) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  };
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
  document.addEventListener("htmx:afterSettle", update);
})();
