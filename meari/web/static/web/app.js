// meari workbench: the little behaviour HTMX does not give (no inline script: the CSP forbids it).
"use strict";
document.addEventListener("htmx:responseError", function (ev) {
  // Show why a live request failed (e.g. logged out: 302 to login, 403) instead of a stale panel.
  var target = ev.detail.target;
  if (target) {
    var p = document.createElement("p");
    p.className = "problem";
    p.textContent = "(" + ev.detail.xhr.status + ") " + (document.documentElement.lang === "ko"
      ? "미리보기를 불러오지 못했습니다. 페이지를 새로 고치십시오." : "The live panel could not be updated; reload the page.");
    target.replaceChildren(p);
  }
});
