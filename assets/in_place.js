/* Views that change in place (layouts/in_place.py): a page's view store names the URL it shows;
   write that URL into the location when it differs (a history entry, so Back works) and record it
   in the shell's store, so the router knows the page already shows it. */
(function () {
  "use strict";
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.ebInPlace = {
    url: function (view) {
      var keep = window.dash_clientside.no_update;
      if (!view || !view.shown) return [keep, keep];
      var search = view.search || "";
      return [search === window.location.search ? keep : search, view.shown];
    }
  };
})();
