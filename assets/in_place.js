/* Views that change in place (layouts/in_place.py).

   record(): the URL of a view as the server writes it (in_place.url_record): the page's query in
   order, empty values left out, the language unless it is the default; and the record of it for the
   shell's store, which tells the router that the page already shows that URL.
   url(): write a view store's URL into the location when it differs (a history entry, so Back
   works) and its record into the shell's store. */
(function () {
  "use strict";
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.ebInPlace = {
    record: function (path, pairs, lang, defaultLang) {
      var params = new URLSearchParams(), query = {};
      pairs.concat([["lang", lang !== defaultLang ? lang : null]]).forEach(function (pair) {
        var value = pair[1];
        if (value !== null && value !== undefined && value !== "") {
          params.append(pair[0], String(value));
          query[pair[0]] = String(value);
        }
      });
      var search = params.toString();
      return {search: search ? "?" + search : "", shown: {path: path, query: query}};
    },
    other: function (lang) { return lang === "en" ? "zh" : "en"; },
    url: function (view) {
      var keep = window.dash_clientside.no_update;
      if (!view || !view.shown) return [keep, keep];
      var search = view.search || "";
      return [search === window.location.search ? keep : search, view.shown];
    }
  };
})();
