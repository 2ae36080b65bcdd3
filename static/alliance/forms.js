// Focus for forms that htmx opens within a page: to the form when it opens (or to
// its first field with an error), and back to what opened it when it is cancelled.
let opener = null;

document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.requestConfig.verb === "get") {
    opener = event.detail.elt;
  }
});

document.addEventListener("htmx:afterSettle", () => {
  const form = document.querySelector("[data-focus-on-load]");
  if (!form) {
    return;
  }
  form.removeAttribute("data-focus-on-load");
  const invalid = form.querySelector("[aria-invalid='true']");
  (invalid || form.querySelector("h1, h2")).focus();
});

document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-inline-cancel]");
  if (!cancel || !opener || !opener.isConnected) {
    return;
  }
  event.preventDefault();
  cancel.closest(".object-form").remove();
  opener.focus();
  opener = null;
});
