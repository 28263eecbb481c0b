/* The big screen (/screen): scale the fixed 1920×1080 canvas to the window as a whole (letterboxed,
   vector-sharp at 4K because it is a transform, not a bitmap), and keep the title-bar clock.
   Loaded on every page by Dash; does nothing where there is no #screen-canvas. */
(function () {
  "use strict";
  var W = 1920, H = 1080;

  function fit() {
    var canvas = document.getElementById("screen-canvas");
    if (!canvas) return null;
    var s = Math.min(window.innerWidth / W, window.innerHeight / H);
    var x = Math.round((window.innerWidth - W * s) / 2);
    var y = Math.round((window.innerHeight - H * s) / 2);
    canvas.style.transform = "translate(" + x + "px, " + y + "px) scale(" + s + ")";
    return s;
  }

  window.addEventListener("resize", fit);

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  var WEEK_ZH = "日一二三四五六";
  var WEEK_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTH_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.ebScreen = {
    fit: function () { return fit(); },
    clock: function (_n, state) {
      var d = new Date();
      var time = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
      if (state && state.lang === "en") {
        return WEEK_EN[d.getDay()] + " " + d.getDate() + " " + MONTH_EN[d.getMonth()] + " " + d.getFullYear() + "  " + time;
      }
      return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" + WEEK_ZH[d.getDay()] + "  " + time;
    }
  };
})();
