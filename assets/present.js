/* Presentation mode (/present): scale the 1920×1080 canvas to the window, step through the slides
   with the keyboard or the control bar, keep the slide number in the URL hash (#3) so a slide can
   be linked and Back steps back, and toggle full screen (F; Esc leaves it).
   Dash loads this file on every page and renders pages after load: everything here checks for
   #present-root first and does nothing on other pages. */
(function () {
  "use strict";
  var W = 1920, H = 1080, IDLE_MS = 2500;
  var seen = null, idleTimer = null;

  function root() { return document.getElementById("present-root"); }
  function slidesOf(r) { return r.querySelectorAll(".pr-slide"); }
  function current(r) {
    var s = slidesOf(r);
    for (var i = 0; i < s.length; i++) { if (s[i].classList.contains("is-active")) return i + 1; }
    return 1;
  }
  function fromHash() {
    var m = /^#(\d+)$/.exec(window.location.hash || "");
    return m ? parseInt(m[1], 10) : null;
  }

  function fit() {
    var canvas = document.getElementById("present-canvas");
    if (!canvas) return;
    var s = Math.min(window.innerWidth / W, window.innerHeight / H);
    var x = Math.round((window.innerWidth - W * s) / 2), y = Math.round((window.innerHeight - H * s) / 2);
    canvas.style.transform = "translate(" + x + "px, " + y + "px) scale(" + s + ")";
  }

  // show slide n (clamped); "push" adds a history entry so Back returns to the slide before
  function show(n, push) {
    var r = root();
    if (!r) return;
    var s = slidesOf(r);
    if (!s.length) return;
    n = Math.max(1, Math.min(s.length, n || 1));
    for (var i = 0; i < s.length; i++) {
      var on = i === n - 1;
      s[i].classList.toggle("is-active", on);
      s[i].setAttribute("aria-hidden", on ? "false" : "true");
    }
    var counter = document.getElementById("present-counter");
    if (counter) counter.textContent = n + " / " + s.length;
    var hash = "#" + n;
    if (window.location.hash !== hash && (push || window.location.hash)) {
      var url = window.location.pathname + window.location.search + hash;
      if (push) window.history.pushState(window.history.state, "", url);
      else window.history.replaceState(window.history.state, "", url);
    }
  }

  function step(delta) { var r = root(); if (r) show(current(r) + delta, true); }

  function toggleFullscreen() {
    var r = root();
    if (!r) return;
    if (document.fullscreenElement) { exitFullscreen(); return; }
    if (r.requestFullscreen) {
      var p = r.requestFullscreen();
      if (p && p.catch) p.catch(function () { /* refused (no user gesture, or a kiosk): stay windowed */ });
    }
  }
  function exitFullscreen() {
    if (document.fullscreenElement && document.exitFullscreen) {
      var p = document.exitFullscreen();
      if (p && p.catch) p.catch(function () {});
    }
  }

  function onKey(e) {
    var r = root();
    if (!r || e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var total = slidesOf(r).length;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Spacebar": step(1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": step(-1); break;
      case "Home": show(1, true); break;
      case "End": show(total, true); break;
      case "f": case "F": toggleFullscreen(); break;
      case "Escape": exitFullscreen(); return;  // the browser leaves full screen on Esc by itself too
      default: return;
    }
    e.preventDefault();
  }

  function onClick(e) {
    if (!root() || !e.target.closest) return;
    var b = e.target.closest("#present-prev, #present-next, #present-full");
    if (!b) return;
    if (b.id === "present-prev") step(-1);
    else if (b.id === "present-next") step(1);
    else toggleFullscreen();
    b.blur();  // so that Space moves the slides, not the focused button again
  }

  function wake() {
    var r = root();
    if (!r) return;
    r.classList.remove("pr-idle");
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () { var q = root(); if (q) q.classList.add("pr-idle"); }, IDLE_MS);
  }

  // Dash renders the page after this script runs, and again on in-app navigation: start each
  // presentation root once when it appears
  function check() {
    var r = root();
    if (r === seen) return;
    seen = r;
    if (!r) return;
    fit();
    show(fromHash() || 1, false);
    wake();
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  document.addEventListener("mousemove", wake);
  window.addEventListener("resize", fit);
  document.addEventListener("fullscreenchange", fit);
  window.addEventListener("hashchange", function () { if (root()) show(fromHash() || 1, false); });
  window.addEventListener("popstate", function () { if (root()) show(fromHash() || 1, false); });
  new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true });
  check();
})();
