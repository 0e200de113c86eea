// Site search: fetches this language's index (the form's `data-index`, a path with the
// site's base path) once, then answers every query in the browser: the query's words,
// folded like the index (`src/render/search.rs`), must all start a word of an entry's
// title, text or terms; title hits rank first, then pages without a date (partners,
// partnerships, topics), then newer releases. Self-hosted, loaded with `defer` on the
// search page only; without JavaScript the page links to the overviews instead.
(function () {
  "use strict";

  var LIMIT = 50;
  var FOLD = {
    "ä": "ae", "æ": "ae", "ö": "oe", "œ": "oe", "ü": "ue", "ß": "ss",
    "à": "a", "á": "a", "â": "a", "ã": "a", "å": "a", "ā": "a", "ą": "a",
    "ç": "c", "ć": "c", "č": "c",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ē": "e", "ę": "e", "ě": "e",
    "ì": "i", "í": "i", "î": "i", "ï": "i",
    "ñ": "n", "ń": "n", "ň": "n",
    "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ø": "o", "ő": "o",
    "ù": "u", "ú": "u", "û": "u", "ů": "u", "ű": "u",
    "ý": "y", "ÿ": "y", "ś": "s", "š": "s", "ź": "z", "ż": "z", "ž": "z",
    "ł": "l", "ř": "r", "ť": "t", "ď": "d"
  };
  var FOLDABLE = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");

  function fold(text) {
    return String(text).toLowerCase().replace(FOLDABLE, function (c) { return FOLD[c]; });
  }

  function tokens(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  // Index entries → what matching needs: " word word " strings for prefix search.
  function prepare(entries) {
    return entries.map(function (e, i) {
      var title = " " + tokens(e.t).join(" ");
      return { entry: e, order: i, title: title, all: title + " " + e.s + " " + tokens(e.x).join(" ") };
    });
  }

  // Every entry whose words start with each query word, best first:
  // { total, hits: [entry, …] } with at most `limit` hits.
  function search(prepared, query, limit) {
    var words = tokens(query);
    if (words.length === 0) return { total: 0, hits: [] };
    var needles = words.map(function (w) { return " " + w; });
    var found = [];
    for (var i = 0; i < prepared.length; i++) {
      var p = prepared[i];
      var ok = true;
      var inTitle = 0;
      for (var j = 0; j < needles.length; j++) {
        if (p.title.indexOf(needles[j]) >= 0) inTitle++;
        else if (p.all.indexOf(needles[j]) < 0) { ok = false; break; }
      }
      if (ok) found.push({ p: p, inTitle: inTitle });
    }
    found.sort(function (a, b) {
      if (a.inTitle !== b.inTitle) return b.inTitle - a.inTitle;
      var da = a.p.entry.d || "9999", db = b.p.entry.d || "9999";
      if (da !== db) return da < db ? 1 : -1;
      return a.p.order - b.p.order;
    });
    return {
      total: found.length,
      hits: found.slice(0, limit || LIMIT).map(function (f) { return f.p.entry; })
    };
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { fold: fold, tokens: tokens, prepare: prepare, search: search };
  }
  if (typeof document === "undefined") return;

  var form = document.querySelector("form.search-form[data-index]");
  if (!form || typeof fetch !== "function") return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var noJs = document.querySelector(".search-nojs");
  if (noJs) noJs.hidden = true;
  var prepared = null;

  function say(template, n, shown) {
    return template.replace("{n}", String(n)).replace("{shown}", String(shown));
  }

  function show() {
    var q = input.value;
    list.textContent = "";
    if (!prepared) return;
    if (tokens(q).length === 0) {
      status.textContent = "";
      list.hidden = true;
      return;
    }
    var result = search(prepared, q, LIMIT);
    status.textContent = result.total > result.hits.length
      ? say(form.dataset.more, result.total, result.hits.length)
      : say(form.dataset.hits, result.total, result.total);
    result.hits.forEach(function (e) {
      var li = document.createElement("li");
      var head = document.createElement("p");
      head.className = "search-hit-head";
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      head.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "muted";
      kind.textContent = " · " + (form.dataset["kind" + e.k.charAt(0).toUpperCase() + e.k.slice(1)] || e.k);
      head.appendChild(kind);
      if (e.d) {
        var time = document.createElement("time");
        time.className = "muted";
        time.dateTime = e.d;
        time.textContent = " · " + e.d;
        head.appendChild(time);
      }
      li.appendChild(head);
      if (e.x) {
        var text = document.createElement("p");
        text.textContent = e.x;
        li.appendChild(text);
      }
      list.appendChild(li);
    });
    list.hidden = result.hits.length === 0;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    show();
  });
  input.addEventListener("input", show);

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  status.textContent = form.dataset.loading;
  fetch(form.dataset.index)
    .then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    })
    .then(function (index) {
      prepared = prepare(index.entries);
      status.textContent = "";
      show();
    })
    .catch(function () {
      status.textContent = form.dataset.failed;
    });
})();
