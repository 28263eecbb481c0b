/* Region pages (layouts/pages/region.py): the indicator selector changes the view in place — the
   map and the table redraw from the new view store, the URL and the language link follow, and a
   notice about an unknown indicator in the old URL goes; a click on a map area opens its page (the
   GDP page's city map uses the same function). */
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
    },
    // a click on a map area opens its page, with the indicator and the language carried along
    open: function (click, figure, view) {
      var keep = window.dash_clientside.no_update, place = window.dash_clientside.ebInPlace;
      var point = click && click.points && click.points[0];
      var areas = figure && figure.layout && figure.layout.meta && figure.layout.meta.areas;
      var area = point && areas ? areas[point.curveNumber] : null;
      if (!area || !view || area === view.adcode) return keep;
      var path = "/region/" + area;
      return path + place.record(path, [["indicator", view.indicator]], view.lang, view.default_lang).search;
    }
  };
})();
