/* Region pages (layouts/pages/region.py): the indicator selector changes the view in place — the
   map and the table redraw from the new view store, the URL and the language link follow, and a
   notice about an unknown indicator in the old URL goes. */
(function () {
  "use strict";
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.ebRegion = {
    indicator: function (value, view) {
      var keep = window.dash_clientside.no_update, place = window.dash_clientside.ebInPlace;
      if (!view || !value || value === (view.indicator || view.default_indicator)) return [keep, keep, keep];
      var next = Object.assign({}, view, {indicator: value}, place.record(view.path, [["indicator", value]],
                                                                           view.lang, view.default_lang));
      var other = place.record(view.path, [["indicator", value]], place.other(view.lang), view.default_lang);
      return [next, view.path + other.search, null];
    }
  };
})();
