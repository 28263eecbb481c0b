/* The indicator page (layouts/pages/indicator.py): a control changed, so make the new view store at
   once in the browser — the panels redraw from it without a round trip first — with the URL it
   shows (ebInPlace.record, assets/in_place.js); when the region moved, the subject of the definition
   and quality panels too (the same fields as _subject in indicator.py). */
(function () {
  "use strict";
  function query(view) {
    var defaults = view.defaults || {};
    return [["region", view.region !== defaults.region ? view.region : null],
            ["transform", view.transform !== defaults.transform ? view.transform : null],
            ["as_of", view.as_of],
            ["compare", view.compare.join(",") || null]];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.ebIndicator = {
    view: function (region, transform, asOf, compare, view) {
      var place = window.dash_clientside.ebInPlace, keep = window.dash_clientside.no_update;
      if (!view || !view.code) return [keep, keep];
      var next = Object.assign({}, view, {
        region: region || view.region,
        transform: transform || view.transform,
        as_of: (asOf || "").slice(0, 10) || null
      });
      next.compare = (compare || []).filter(function (c) { return c !== next.region; });
      var same = ["region", "transform", "as_of"].every(function (k) { return next[k] === view[k]; })
        && next.compare.join(",") === (view.compare || []).join(",");
      if (same) return [keep, keep];
      next.moved = next.region !== view.region;  // the compare choices follow the region
      var subject = next.moved ? {code: next.code, region: next.region, lang: next.lang,
                                  default_lang: next.default_lang} : keep;
      return [Object.assign(next, place.record(view.path, query(next), view.lang, view.default_lang)), subject];
    }
  };
})();
