// The pages' own behaviour, kept out of the HTML: the Content-Security-Policy runs no inline script.
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
